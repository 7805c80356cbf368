using Iot.Api.Common;

namespace Iot.Api.EdgeRules;

/// <summary>The observed state of an EdgeRule.</summary>
public sealed class EdgeRuleStatus : ResourceStatus
{
    /// <summary>The kind of the rule's condition (threshold, window, absence, rateOfChange, anomaly or expression).</summary>
    public string? ConditionKind { get; set; }

    /// <summary>How many Devices the selector matches.</summary>
    public int? MatchedDevices { get; set; }

    /// <summary>When the rule last fired, for any device (reported by ingest).</summary>
    public DateTime? LastFired { get; set; }
}
