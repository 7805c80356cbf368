using System.ComponentModel.DataAnnotations;

namespace Iot.Api.AlertRoutes;

/// <summary>A recurring period in which the route sends nothing. All given criteria must hold; an omitted one always holds.</summary>
public sealed class MuteTimeInterval
{
    /// <summary>Days of the week, e.g. saturday, or ranges such as monday:friday.</summary>
    public List<string>? Weekdays { get; set; }

    /// <summary>Times of day; a range whose end is before its start spans midnight (22:00 to 06:00).</summary>
    public List<TimeRange>? Times { get; set; }

    /// <summary>IANA time zone the weekdays and times are in, e.g. Europe/Berlin. Default UTC.</summary>
    public string? Location { get; set; }
}

/// <summary>A range of the day, start inclusive, end exclusive.</summary>
public sealed class TimeRange
{
    /// <summary>Start, HH:MM (24 hours).</summary>
    [Required]
    [RegularExpression("^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    public string Start { get; set; } = string.Empty;

    /// <summary>End, HH:MM (24 hours; 24:00 for midnight).</summary>
    [Required]
    [RegularExpression("^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    public string End { get; set; } = string.Empty;
}
