using System.ComponentModel.DataAnnotations;
using System.Text.Json.Serialization;

using Iot.Api.Crds;

namespace Iot.Api.EdgeRules;

/// <summary>A rule condition: exactly one of threshold, window, absence, rateOfChange, anomaly or expression.</summary>
[ExactlyOneOf(nameof(Threshold), nameof(Window), nameof(Absence), nameof(RateOfChange), nameof(Anomaly), nameof(Expression))]
public sealed class RuleCondition
{
    /// <summary>A field compared with a value, optionally for a hold time.</summary>
    public ThresholdCondition? Threshold { get; set; }

    /// <summary>An aggregate of a field over a time window compared with a value.</summary>
    public WindowCondition? Window { get; set; }

    /// <summary>No message from the device for a time (heartbeat lost).</summary>
    public AbsenceCondition? Absence { get; set; }

    /// <summary>A field's change per unit of time compared with a value.</summary>
    public RateOfChangeCondition? RateOfChange { get; set; }

    /// <summary>A value far from the field's recent mean, in standard deviations.</summary>
    public AnomalyCondition? Anomaly { get; set; }

    /// <summary>
    /// A boolean expression in the rule language (a CEL subset) over the telemetry fields, <c>device.labels</c>,
    /// <c>device.type</c>, <c>device.id</c> and <c>room</c>, e.g. <c>temperature &gt; 30 &amp;&amp; humidity &lt; 20</c>.
    /// </summary>
    [MaxLength(4096)]
    public string? Expression { get; set; }

    /// <summary>The name of the condition kind that is set (threshold, window, ...), or null when none is.</summary>
    [JsonIgnore]
    public string? KindName =>
        Threshold is not null ? "threshold"
        : Window is not null ? "window"
        : Absence is not null ? "absence"
        : RateOfChange is not null ? "rateOfChange"
        : Anomaly is not null ? "anomaly"
        : Expression is not null ? "expression"
        : null;
}
