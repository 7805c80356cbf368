using System.Text.Json.Serialization;

namespace Iot.Api.Rooms;

/// <summary>An aggregate function over numeric values.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<Aggregate>))]
public enum Aggregate
{
    /// <summary>Arithmetic mean.</summary>
    [JsonStringEnumMemberName("mean")] Mean,

    /// <summary>Smallest value.</summary>
    [JsonStringEnumMemberName("min")] Min,

    /// <summary>Largest value.</summary>
    [JsonStringEnumMemberName("max")] Max,

    /// <summary>Sum of the values.</summary>
    [JsonStringEnumMemberName("sum")] Sum,

    /// <summary>Number of values.</summary>
    [JsonStringEnumMemberName("count")] Count,
}
