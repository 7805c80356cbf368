using Iot.Api.Alerts;
using Iot.Rules.Metrics;

namespace Iot.Rules.Tests.Conditions;

public sealed class WindowTests
{
    private static string Rule(string window, string name = "warm") => $$$"""
        metadata: {name: {{{name}}}, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {window: {{{window}}}}
          actions: [{alert: {severity: warning, summary: '{value}'}}]
        """;

    [Fact]
    public void Tumbling_window_fires_when_a_window_closes_above_and_resolves_when_a_later_one_closes_below()
    {
        using var h = new EngineHarness().WithRule(Rule("{field: temperature, function: mean, size: 5m, operator: \">\", value: 28}")).WithThermostats("t-1");
        var start = h.Now;

        foreach (var value in new[] { 27.0, 29, 30, 31, 29 })
        {
            h.Send("t-1", ("temperature", value));
            h.Advance(TimeSpan.FromMinutes(1));
        }

        Assert.Empty(h.Alerts);
        h.Send("t-1", ("temperature", 20.0)); // 5m: the first message of the next window closes [0, 5m)
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(29.2, firing.Value!.Value, precision: 9);
        Assert.Equal(start.AddMinutes(5), firing.StartsAt);

        for (var i = 0; i < 4; i++)
        {
            h.Advance(TimeSpan.FromMinutes(1));
            h.Send("t-1", ("temperature", 20.0));
        }

        Assert.Single(h.Alerts);
        h.Advance(TimeSpan.FromMinutes(1));
        h.Send("t-1", ("temperature", 20.0)); // 10m closes [5m, 10m): mean 20
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
        Assert.Equal(20.0, h.Alerts[1].Value);
        Assert.Equal(start.AddMinutes(10), h.Alerts[1].EndsAt);
    }

    [Fact]
    public void Hopping_window_judges_the_last_size_every_advance()
    {
        using var h = new EngineHarness().WithRule(Rule("{field: temperature, function: max, size: 3m, advance: 1m, operator: \">\", value: 40}")).WithThermostats("t-1");
        var start = h.Now;
        var verdicts = new List<(TimeSpan At, AlertStatus Status, double? Value)>();

        foreach (var value in new[] { 10.0, 50, 20, 20, 20, 20, 20 })
        {
            h.Send("t-1", ("temperature", value));
            verdicts.AddRange(h.Alerts.Skip(verdicts.Count).Select(a => (h.Now - start, a.Status, a.Value)));
            h.Advance(TimeSpan.FromMinutes(1));
        }

        // Windows end every minute; [0,3m) and [1m,4m) hold the 50, [2m,5m) does not.
        Assert.Equal(
            [(TimeSpan.FromMinutes(3), AlertStatus.Firing, (double?)50), (TimeSpan.FromMinutes(5), AlertStatus.Resolved, 20)],
            verdicts);
    }

    [Theory]
    [InlineData("mean", 2.5)]
    [InlineData("min", 1)]
    [InlineData("max", 4)]
    [InlineData("sum", 10)]
    [InlineData("count", 4)]
    public void Each_aggregate_is_computed_over_the_window(string function, double expected)
    {
        using var h = new EngineHarness().WithRule(Rule($"{{field: errors, function: {function}, size: 4m, operator: \">\", value: -1000}}")).WithThermostats("t-1");

        foreach (var value in new long[] { 3, 1, 4, 2 })
        {
            h.Send("t-1", ("errors", value));
            h.Advance(TimeSpan.FromMinutes(1));
        }

        h.Send("t-1", ("errors", 100L));
        Assert.Equal(expected, Assert.Single(h.Alerts).Value);
    }

    [Fact]
    public void A_silent_devices_window_closes_on_the_timer_once_its_end_has_passed_by_the_grace()
    {
        using var h = new EngineHarness().WithRule(Rule("{field: temperature, function: count, size: 1m, operator: \"<\", value: 3}")).WithThermostats("t-1");
        var start = h.Now;

        foreach (var seconds in new[] { 0, 20, 40, 60, 80 })
        {
            h.Advance(start.AddSeconds(seconds) - h.Now);
            h.Send("t-1", ("temperature", 21.0));
        }

        Assert.Empty(h.Alerts); // [0, 1m) had 3 messages
        h.Advance(start.AddSeconds(124) - h.Now);
        Assert.Empty(h.Alerts); // [1m, 2m) ended, but the grace (5s) has not passed

        h.Advance(TimeSpan.FromSeconds(1));
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(2, firing.Value);
        Assert.Equal(start.AddSeconds(125), firing.StartsAt);
    }

    [Fact]
    public void A_message_older_than_every_open_window_is_dropped_and_counted()
    {
        using var h = new EngineHarness().WithRule(Rule("{field: temperature, function: max, size: 1m, operator: \">\", value: 40}")).WithThermostats("t-1");
        var start = h.Now;

        foreach (var seconds in new[] { 0, 30, 60, 90, 120 })
        {
            h.SendAt("t-1", start.AddSeconds(seconds), ("temperature", 20.0));
        }

        h.SendAt("t-1", start.AddSeconds(10), ("temperature", 99.0)); // [0, 1m) closed long ago
        h.SendAt("t-1", start.AddSeconds(180), ("temperature", 20.0));

        Assert.Empty(h.Alerts);
        Assert.Equal(1, h.Stats("warm").Errors[RuleErrorReason.LateMessage]);
    }

    [Fact]
    public void A_late_message_still_counts_in_the_windows_that_are_open()
    {
        using var h = new EngineHarness().WithRule(Rule("{field: temperature, function: max, size: 2m, advance: 1m, operator: \">\", value: 40}")).WithThermostats("t-1");
        var start = h.Now;

        h.SendAt("t-1", start, ("temperature", 20.0));
        h.SendAt("t-1", start.AddSeconds(130), ("temperature", 20.0)); // closes [0, 2m)
        h.SendAt("t-1", start.AddSeconds(70), ("temperature", 99.0));  // late for [0, 2m), on time for [1m, 3m)
        h.SendAt("t-1", start.AddSeconds(180), ("temperature", 20.0)); // closes [1m, 3m)

        Assert.Equal(99.0, Assert.Single(h.Alerts).Value);
        Assert.False(h.Stats("warm").Errors.ContainsKey(RuleErrorReason.LateMessage));
    }

    [Fact]
    public void Messages_before_the_first_whole_window_are_not_judged()
    {
        using var h = new EngineHarness().WithRule(Rule("{field: temperature, function: count, size: 5m, operator: \">\", value: 0}")).WithThermostats("t-1");
        var start = h.Now;

        h.SendAt("t-1", start.AddMinutes(2), ("temperature", 20.0)); // the engine saw only part of [0, 5m)
        h.SendAt("t-1", start.AddMinutes(6), ("temperature", 20.0));
        Assert.Empty(h.Alerts);

        h.SendAt("t-1", start.AddMinutes(10), ("temperature", 20.0)); // closes [5m, 10m), the first whole window
        Assert.Equal(1, Assert.Single(h.Alerts).Value);
    }
}
