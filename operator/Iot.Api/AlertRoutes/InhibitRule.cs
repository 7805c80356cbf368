using System.ComponentModel.DataAnnotations;

namespace Iot.Api.AlertRoutes;

/// <summary>Mutes alerts matching the target matchers while an alert matching the source matchers fires with equal values of the listed labels.</summary>
public sealed class InhibitRule
{
    /// <summary>Matchers of the inhibiting (firing) alert.</summary>
    [Required]
    [MinLength(1)]
    public List<string> SourceMatchers { get; set; } = [];

    /// <summary>Matchers of the alerts that are muted.</summary>
    [Required]
    [MinLength(1)]
    public List<string> TargetMatchers { get; set; } = [];

    /// <summary>Labels that must have the same value in source and target.</summary>
    public List<string>? Equal { get; set; }
}
