using System.ComponentModel.DataAnnotations;

namespace Iot.Api.EdgeRules;

/// <summary>Raises an alert routed by AlertRoutes.</summary>
public sealed class AlertAction
{
    /// <summary>critical, warning or info; available to AlertRoute matchers as the severity label.</summary>
    [Required]
    public Severity Severity { get; set; }

    /// <summary>One-line summary; placeholders {device}, {room}, {rule}, {field} and {value} are filled in.</summary>
    [MaxLength(1024)]
    public string? Summary { get; set; }

    /// <summary>Longer description, with the same placeholders.</summary>
    [MaxLength(4096)]
    public string? Description { get; set; }

    /// <summary>Extra labels on the alert, for routing and grouping.</summary>
    public Dictionary<string, string>? Labels { get; set; }
}
