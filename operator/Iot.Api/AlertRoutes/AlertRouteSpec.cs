using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.AlertRoutes;

/// <summary>The desired state of an AlertRoute.</summary>
public sealed class AlertRouteSpec
{
    /// <summary>Routes are tried in ascending priority, then by name.</summary>
    [DefaultValue(100)]
    [Range(0, 1000000)]
    public int? Priority { get; set; }

    /// <summary>
    /// Alertmanager matchers an alert must all satisfy, e.g. <c>severity=~"critical|warning"</c>, <c>room="lab-1"</c>;
    /// operators =, !=, =~ and !~ (regular expressions are anchored). Empty matches every alert.
    /// </summary>
    public List<string>? Matchers { get; set; }

    /// <summary>Keep trying later routes after this one matched.</summary>
    [DefaultValue(false)]
    public bool? Continue { get; set; }

    /// <summary>Labels whose values form a group: alerts of one group are sent together. <c>...</c> groups by every label.</summary>
    public List<string>? GroupBy { get; set; }

    /// <summary>How long to wait before the first notification of a new group, to batch alerts that arrive together (duration).</summary>
    [RegularExpression(Duration.Pattern)]
    [DefaultValue("30s")]
    public string? GroupWait { get; set; }

    /// <summary>How long to wait before notifying about alerts added to a group already notified (duration).</summary>
    [RegularExpression(Duration.Pattern)]
    [DefaultValue("5m")]
    public string? GroupInterval { get; set; }

    /// <summary>How long to wait before repeating a notification for a group that has not changed (duration).</summary>
    [RegularExpression(Duration.Pattern)]
    [DefaultValue("4h")]
    public string? RepeatInterval { get; set; }

    /// <summary>Where matching alerts are sent; each receiver has exactly one type.</summary>
    [Required]
    [MinLength(1)]
    public List<Receiver> Receivers { get; set; } = [];

    /// <summary>Rules that mute alerts (targets) while other alerts (sources) fire.</summary>
    public List<InhibitRule>? Inhibit { get; set; }

    /// <summary>When this route sends nothing; an alert muted at its time is not notified by this route.</summary>
    public List<MuteTimeInterval>? MuteTimeIntervals { get; set; }
}
