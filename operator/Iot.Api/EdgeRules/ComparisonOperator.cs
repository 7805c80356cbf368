using System.Text.Json.Serialization;

namespace Iot.Api.EdgeRules;

/// <summary>How a value is compared with a rule's threshold.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ComparisonOperator>))]
public enum ComparisonOperator
{
    /// <summary>Greater than.</summary>
    [JsonStringEnumMemberName(">")] GreaterThan,

    /// <summary>Greater than or equal.</summary>
    [JsonStringEnumMemberName(">=")] GreaterThanOrEqual,

    /// <summary>Less than.</summary>
    [JsonStringEnumMemberName("<")] LessThan,

    /// <summary>Less than or equal.</summary>
    [JsonStringEnumMemberName("<=")] LessThanOrEqual,

    /// <summary>Equal.</summary>
    [JsonStringEnumMemberName("==")] Equal,

    /// <summary>Not equal.</summary>
    [JsonStringEnumMemberName("!=")] NotEqual,
}
