using Iot.Analytics.Planning;

namespace Iot.Analytics.Tests.Planning;

public sealed class QueryPlannerTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 30, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lag = TimeSpan.FromMinutes(1);

    // lab-1: raw 7 days, 5-minute rollups for 90 days, hourly rollups for 2 years.
    private static readonly RoomRetentionLevels Lab = RoomRetentionLevels.Of(Resources.Room("lab-1", "7d", ("5m", "90d"), ("1h", "730d")));

    [Fact]
    public void The_coarsest_rollup_that_serves_the_step_and_holds_the_range_is_chosen()
    {
        var plan = Plan(Now.AddDays(-30), Now.AddDays(-1), TimeSpan.FromHours(3));

        var segment = Assert.Single(plan.Segments);
        Assert.Equal("lab-1_1h", segment.Level.Policy);
        Assert.Equal((Now.AddDays(-30), Now.AddDays(-1)), (segment.From, segment.To));
        Assert.Null(plan.RetainedFrom);
    }

    [Fact]
    public void A_step_that_is_not_a_multiple_of_a_coarser_rollup_uses_a_finer_one()
    {
        var plan = Plan(Now.AddDays(-30), Now.AddDays(-1), TimeSpan.FromMinutes(10));

        Assert.Equal("lab-1_5m", Assert.Single(plan.Segments).Level.Policy);
    }

    [Fact]
    public void A_step_no_rollup_serves_reads_raw_points_while_they_are_kept()
    {
        var plan = Plan(Now.AddDays(-2), Now.AddDays(-1), TimeSpan.FromMinutes(1));

        Assert.Equal("lab-1_raw", Assert.Single(plan.Segments).Level.Policy);
    }

    [Fact]
    public void A_range_older_than_raw_retention_is_never_read_from_raw()
    {
        var plan = Plan(Now.AddDays(-100), Now.AddDays(-95), TimeSpan.FromHours(1));

        Assert.Equal("lab-1_1h", Assert.Single(plan.Segments).Level.Policy);
    }

    [Fact]
    public void A_step_finer_than_the_data_kept_that_far_back_is_refused_with_the_step_that_works()
    {
        var outcome = QueryPlanner.Plan(Lab, Now.AddDays(-30), Now, TimeSpan.FromMinutes(1), Now, Lag);

        Assert.Null(outcome.Plan);
        Assert.Equal(TimeSpan.FromMinutes(5), outcome.UsableStep);
        Assert.Contains("step 1m is finer than the data kept", outcome.Problem, StringComparison.Ordinal);
        Assert.Contains("lab-1_5m", outcome.Problem, StringComparison.Ordinal);
        Assert.Contains("multiple of 5m", outcome.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void A_range_reaching_the_present_reads_the_intervals_the_rollup_may_not_hold_yet_from_raw_on_a_bucket_boundary()
    {
        var plan = Plan(Now.AddDays(-3), Now, TimeSpan.FromHours(1));

        Assert.Equal(2, plan.Segments.Count);
        var cut = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(("lab-1_1h", Now.AddDays(-3), cut), (plan.Segments[0].Level.Policy, plan.Segments[0].From, plan.Segments[0].To));
        Assert.Equal(("lab-1_raw", cut, Now), (plan.Segments[1].Level.Policy, plan.Segments[1].From, plan.Segments[1].To));
    }

    [Fact]
    public void Just_after_an_interval_ends_that_interval_is_read_from_raw_too()
    {
        var justAfter = new DateTimeOffset(2026, 3, 1, 12, 0, 30, TimeSpan.Zero);

        var plan = QueryPlanner.Plan(Lab, justAfter.AddDays(-3), justAfter, TimeSpan.FromHours(1), justAfter, Lag).Plan!;

        Assert.Equal(new DateTimeOffset(2026, 3, 1, 11, 0, 0, TimeSpan.Zero), plan.Segments[1].From);
    }

    [Fact]
    public void A_range_older_than_every_level_is_served_by_the_longest_kept_one_and_says_from_when_data_exists()
    {
        var plan = Plan(Now.AddDays(-1000), Now.AddDays(-700), TimeSpan.FromDays(1));

        Assert.Equal("lab-1_1h", Assert.Single(plan.Segments).Level.Policy);
        Assert.Equal(Now.AddDays(-730), plan.RetainedFrom);
    }

    [Fact]
    public void A_room_without_rollups_reads_raw_and_devices_without_a_room_read_default_raw()
    {
        var plain = RoomRetentionLevels.Of(Resources.Room("hall", "2d"));
        Assert.Equal("hall_raw", Assert.Single(QueryPlanner.Plan(plain, Now.AddDays(-1), Now, TimeSpan.FromHours(1), Now, Lag).Plan!.Segments).Level.Policy);

        var roomless = RoomRetentionLevels.Of(null, null);
        var plan = QueryPlanner.Plan(roomless, Now.AddDays(-400), Now, TimeSpan.FromHours(1), Now, Lag).Plan!;
        Assert.Equal("default_raw", Assert.Single(plan.Segments).Level.Policy);
        Assert.Null(plan.RetainedFrom);
    }

    [Fact]
    public void Without_a_step_the_planner_takes_a_round_one_within_the_bucket_limit_and_coarsens_it_to_what_old_data_is_kept_at()
    {
        var recent = QueryPlanner.PlanAutomatic(Lab, Now.AddDays(-1), Now, 100, Now, Lag).Plan!;
        Assert.Equal(TimeSpan.FromMinutes(15), recent.Step);

        var old = QueryPlanner.PlanAutomatic(Lab, Now.AddDays(-200), Now.AddDays(-199), 1000, Now, Lag).Plan!;
        Assert.Equal(TimeSpan.FromHours(1), old.Step);
        Assert.Equal("lab-1_1h", Assert.Single(old.Segments).Level.Policy);
    }

    [Fact]
    public void Buckets_start_at_multiples_of_the_step_since_the_epoch()
    {
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero), QueryPlanner.Floor(Now, TimeSpan.FromHours(1)));
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), QueryPlanner.Floor(Now, TimeSpan.FromDays(1)));
    }

    private static QueryPlan Plan(DateTimeOffset from, DateTimeOffset to, TimeSpan step)
    {
        var outcome = QueryPlanner.Plan(Lab, from, to, step, Now, Lag);
        return outcome.Plan ?? throw new InvalidOperationException(outcome.Problem);
    }
}
