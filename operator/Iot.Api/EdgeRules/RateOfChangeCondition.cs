using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.EdgeRules;

/// <summary>Fires when a field changes faster than a value per unit of time.</summary>
public sealed class RateOfChangeCondition
{
    /// <summary>The numeric telemetry field.</summary>
    [Required]
    [RegularExpression(Names.IdentifierPattern)]
    public string Field { get; set; } = string.Empty;

    /// <summary>The time unit of the rate (duration, e.g. 1m).</summary>
    [Required]
    [RegularExpression(Duration.Pattern)]
    public string Per { get; set; } = string.Empty;

    /// <summary>The comparison: &gt;, &gt;=, &lt;, &lt;=, == or !=. Use &gt; with a positive value for rises, &lt; with a negative value for falls.</summary>
    [Required]
    public ComparisonOperator Operator { get; set; }

    /// <summary>The rate threshold, in field units per <c>per</c>.</summary>
    [Required]
    public double Value { get; set; }
}
