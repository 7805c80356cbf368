using System.Text.Json.Serialization;

namespace Iot.Api.Devices;

/// <summary>The type of a telemetry field.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<TelemetryType>))]
public enum TelemetryType
{
    /// <summary>A floating-point number.</summary>
    [JsonStringEnumMemberName("number")] Number,

    /// <summary>A whole number.</summary>
    [JsonStringEnumMemberName("integer")] Integer,

    /// <summary>true or false.</summary>
    [JsonStringEnumMemberName("boolean")] Boolean,

    /// <summary>A text value.</summary>
    [JsonStringEnumMemberName("string")] String,
}
