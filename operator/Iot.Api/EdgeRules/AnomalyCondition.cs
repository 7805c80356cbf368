using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.EdgeRules;

/// <summary>Fires when a value lies more than zScore standard deviations from the field's mean over the window.</summary>
public sealed class AnomalyCondition
{
    /// <summary>The numeric telemetry field.</summary>
    [Required]
    [RegularExpression(Names.IdentifierPattern)]
    public string Field { get; set; } = string.Empty;

    /// <summary>The history the mean and deviation are computed over (duration).</summary>
    [Required]
    [RegularExpression(Duration.Pattern)]
    public string Window { get; set; } = string.Empty;

    /// <summary>How many standard deviations from the mean count as an anomaly.</summary>
    [DefaultValue(3.0)]
    [Range(0.1, 100.0)]
    public double? ZScore { get; set; }
}
