using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;
using Iot.Api.Rooms;

namespace Iot.Api.EdgeRules;

/// <summary>Fires when an aggregate of a field over a time window compares true with a value.</summary>
public sealed class WindowCondition
{
    /// <summary>The numeric telemetry field.</summary>
    [Required]
    [RegularExpression(Names.IdentifierPattern)]
    public string Field { get; set; } = string.Empty;

    /// <summary>The aggregate over the window: mean, min, max, sum or count.</summary>
    [Required]
    public Aggregate Function { get; set; }

    /// <summary>The window length (duration).</summary>
    [Required]
    [RegularExpression(Duration.Pattern)]
    public string Size { get; set; } = string.Empty;

    /// <summary>How far the window moves between evaluations (hopping windows); absent means tumbling windows (advance = size).</summary>
    [RegularExpression(Duration.Pattern)]
    public string? Advance { get; set; }

    /// <summary>The comparison: &gt;, &gt;=, &lt;, &lt;=, == or !=.</summary>
    [Required]
    public ComparisonOperator Operator { get; set; }

    /// <summary>The threshold.</summary>
    [Required]
    public double Value { get; set; }
}
