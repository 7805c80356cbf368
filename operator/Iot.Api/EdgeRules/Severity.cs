using System.Text.Json.Serialization;

namespace Iot.Api.EdgeRules;

/// <summary>How urgent an alert is.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Severity>))]
public enum Severity
{
    /// <summary>Needs action now.</summary>
    [JsonStringEnumMemberName("critical")] Critical,

    /// <summary>Needs attention soon.</summary>
    [JsonStringEnumMemberName("warning")] Warning,

    /// <summary>For information.</summary>
    [JsonStringEnumMemberName("info")] Info,
}
