using System.Text.Json.Serialization;

namespace Iot.Api.Common;

/// <summary>The status of a <see cref="Condition"/>.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ConditionStatus>))]
public enum ConditionStatus
{
    /// <summary>The condition holds.</summary>
    True,

    /// <summary>The condition does not hold.</summary>
    False,

    /// <summary>Not yet known.</summary>
    Unknown,
}
