using System.Globalization;

using Iot.Api.AlertRoutes;

namespace Iot.Notify.Routing;

/// <summary>
/// A route's mute time intervals, compiled: muted when any interval holds; an interval holds when its weekdays (if any)
/// and its times of day (if any) hold in its time zone (UTC by default). A time range whose end is before its start spans
/// midnight; start is inclusive, end exclusive.
/// </summary>
public sealed class MuteSchedule
{
    private static readonly string[] DayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private readonly IReadOnlyList<Interval> intervals;

    private MuteSchedule(IReadOnlyList<Interval> intervals) => this.intervals = intervals;

    /// <summary>A schedule that never mutes.</summary>
    public static MuteSchedule Never { get; } = new([]);

    /// <summary>Compiles the intervals; throws <see cref="FormatException"/> naming a weekday, time or zone it cannot read.</summary>
    public static MuteSchedule Compile(IReadOnlyList<MuteTimeInterval>? intervals) =>
        intervals is null or { Count: 0 } ? Never : new([.. intervals.Select(CompileInterval)]);

    /// <summary>Whether the route is muted at <paramref name="at"/>.</summary>
    public bool IsMuted(DateTimeOffset at) => intervals.Any(i => i.Contains(at));

    private static Interval CompileInterval(MuteTimeInterval interval)
    {
        var zone = interval.Location is { Length: > 0 } location
            ? TimeZoneInfo.TryFindSystemTimeZoneById(location, out var found) ? found : throw new FormatException($"unknown time zone \"{location}\"")
            : TimeZoneInfo.Utc;
        var days = new HashSet<DayOfWeek>();
        foreach (var item in interval.Weekdays ?? [])
        {
            var parts = item.Split(':');
            var first = Day(parts[0]);
            var last = parts.Length > 1 ? Day(parts[1]) : first;
            for (var day = first; ; day = (DayOfWeek)(((int)day + 1) % 7))
            {
                days.Add(day);
                if (day == last)
                {
                    break;
                }
            }
        }

        var times = (interval.Times ?? []).Select(t => (Start: Minutes(t.Start), End: Minutes(t.End))).ToList();
        return new Interval(zone, days, times);
    }

    private static DayOfWeek Day(string name)
    {
        var index = Array.IndexOf(DayNames, name.Trim().ToLowerInvariant());
        return index >= 0 ? (DayOfWeek)index : throw new FormatException($"\"{name}\" is not a weekday");
    }

    private static int Minutes(string hhmm)
    {
        var parts = hhmm.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var h) || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var m)
            || h > 24 || m > 59 || (h == 24 && m != 0))
        {
            throw new FormatException($"\"{hhmm}\" is not a time of day (HH:MM)");
        }

        return (h * 60) + m;
    }

    private sealed record Interval(TimeZoneInfo Zone, HashSet<DayOfWeek> Days, List<(int Start, int End)> Times)
    {
        public bool Contains(DateTimeOffset at)
        {
            var local = TimeZoneInfo.ConvertTime(at, Zone);
            if (Days.Count > 0 && !Days.Contains(local.DayOfWeek))
            {
                return false;
            }

            var minute = (local.Hour * 60) + local.Minute;
            return Times.Count == 0 || Times.Any(t => t.Start <= t.End ? minute >= t.Start && minute < t.End : minute >= t.Start || minute < t.End);
        }
    }
}
