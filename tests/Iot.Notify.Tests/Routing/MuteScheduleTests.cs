using Iot.Api.AlertRoutes;
using Iot.Notify.Routing;

namespace Iot.Notify.Tests.Routing;

public sealed class MuteScheduleTests
{
    // 2026-01-03 is a Saturday.
    private static readonly DateTimeOffset SaturdayNoon = new(2026, 1, 3, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset MondayNoon = new(2026, 1, 5, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Weekdays_and_ranges_of_weekdays_mute_whole_days()
    {
        var weekend = MuteSchedule.Compile([new MuteTimeInterval { Weekdays = ["saturday", "sunday"] }]);
        var workweek = MuteSchedule.Compile([new MuteTimeInterval { Weekdays = ["monday:friday"] }]);

        Assert.True(weekend.IsMuted(SaturdayNoon));
        Assert.False(weekend.IsMuted(MondayNoon));
        Assert.True(workweek.IsMuted(MondayNoon));
        Assert.False(workweek.IsMuted(SaturdayNoon));
    }

    [Fact]
    public void A_time_range_ending_before_it_starts_spans_midnight_with_its_end_excluded()
    {
        var nights = MuteSchedule.Compile([new MuteTimeInterval { Times = [new TimeRange { Start = "22:00", End = "06:00" }] }]);
        var day = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

        Assert.True(nights.IsMuted(day.AddHours(23)));
        Assert.True(nights.IsMuted(day.AddHours(5).AddMinutes(59)));
        Assert.False(nights.IsMuted(day.AddHours(6)));
        Assert.False(nights.IsMuted(day.AddHours(21).AddMinutes(59)));
        Assert.True(nights.IsMuted(day.AddHours(22)));
    }

    [Fact]
    public void Weekdays_and_times_of_one_interval_must_both_hold_in_its_time_zone()
    {
        // Monday 08:30 to 09:00 in Berlin (UTC+1 in January) is 07:30 to 08:00 UTC.
        var standup = MuteSchedule.Compile([new MuteTimeInterval
        {
            Weekdays = ["monday"],
            Times = [new TimeRange { Start = "08:30", End = "09:00" }],
            Location = "Europe/Berlin",
        }]);
        var monday = new DateTimeOffset(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

        Assert.True(standup.IsMuted(monday.AddHours(7).AddMinutes(45)));
        Assert.False(standup.IsMuted(monday.AddHours(8).AddMinutes(45)));
        Assert.False(standup.IsMuted(monday.AddDays(1).AddHours(7).AddMinutes(45)));
    }

    [Fact]
    public void An_unknown_time_zone_is_a_compile_error()
    {
        var error = Assert.Throws<FormatException>(() => MuteSchedule.Compile([new MuteTimeInterval { Location = "Mars/Olympus" }]));
        Assert.Contains("Mars/Olympus", error.Message, StringComparison.Ordinal);
    }
}
