using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.EdgeRules;

/// <summary>Fires when a field compares true with a value, continuously for the hold time if one is given.</summary>
public sealed class ThresholdCondition
{
    /// <summary>The numeric telemetry field.</summary>
    [Required]
    [RegularExpression(Names.IdentifierPattern)]
    public string Field { get; set; } = string.Empty;

    /// <summary>The comparison: &gt;, &gt;=, &lt;, &lt;=, == or !=.</summary>
    [Required]
    public ComparisonOperator Operator { get; set; }

    /// <summary>The threshold.</summary>
    [Required]
    public double Value { get; set; }

    /// <summary>Hold time: the comparison must stay true this long before the rule fires (duration).</summary>
    [RegularExpression(Duration.Pattern)]
    public string? For { get; set; }
}
