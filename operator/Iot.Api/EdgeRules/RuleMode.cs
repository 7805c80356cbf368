using System.Text.Json.Serialization;

namespace Iot.Api.EdgeRules;

/// <summary>Whether a rule acts.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<RuleMode>))]
public enum RuleMode
{
    /// <summary>Evaluate and act.</summary>
    [JsonStringEnumMemberName("enforce")] Enforce,

    /// <summary>Evaluate and count firings, never act: for trying a rule out.</summary>
    [JsonStringEnumMemberName("dryRun")] DryRun,
}
