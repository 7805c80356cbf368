using Iot.Api.Alerts;

namespace Iot.Rules.Tests.Conditions;

public sealed class AnomalyTests
{
    private const string Spike = """
        metadata: {name: spike, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {anomaly: {field: temperature, window: 1h, zScore: 3}}
          actions: [{alert: {severity: warning}}]
        """;

    // 20, 21, 20, 21, ...: mean 20.5, standard deviation about 0.5.
    private static void Normal(EngineHarness h, int count)
    {
        for (var i = 0; i < count; i++)
        {
            h.Send("t-1", ("temperature", 20.0 + (i % 2)));
            h.Advance(TimeSpan.FromMinutes(1));
        }
    }

    [Fact]
    public void A_value_far_from_the_recent_mean_fires_and_a_normal_value_resolves()
    {
        using var h = new EngineHarness().WithRule(Spike).WithThermostats("t-1");

        Normal(h, 20);
        h.Send("t-1", ("temperature", 22.0)); // z ≈ 2.9
        Assert.Empty(h.Alerts);

        h.Send("t-1", ("temperature", 25.0)); // z ≈ 8.7
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(25.0, firing.Value);

        h.Send("t-1", ("temperature", 20.5));
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
    }

    [Fact]
    public void Nothing_is_judged_during_warm_up()
    {
        using var h = new EngineHarness(new RuleEngineOptions { AnomalyMinimumSamples = 10 }).WithRule(Spike).WithThermostats("t-1");

        Normal(h, 9);
        h.Send("t-1", ("temperature", 100.0)); // only 9 values of history
        Assert.Empty(h.Alerts);

        h.Send("t-1", ("temperature", 100.0)); // 10 values now, but the first 100 is part of them
        Assert.Empty(h.Alerts);
    }

    [Fact]
    public void History_older_than_the_window_is_forgotten()
    {
        using var h = new EngineHarness().WithRule(Spike).WithThermostats("t-1");

        Normal(h, 30); // 20/21 for 30 minutes
        for (var i = 0; i < 70; i++)
        {
            h.Send("t-1", ("temperature", 30.0 + (i % 2))); // 30/31 for 70 minutes: the 20s fall out of the 1h window
            h.Advance(TimeSpan.FromMinutes(1));
        }

        h.Alerts.Clear();
        h.Send("t-1", ("temperature", 30.5));
        h.Send("t-1", ("temperature", 21.0)); // normal an hour ago, an anomaly now
        Assert.Equal([AlertStatus.Firing], h.Alerts.Select(a => a.Status));
    }

    [Fact]
    public void A_flat_history_judges_nothing()
    {
        using var h = new EngineHarness().WithRule(Spike).WithThermostats("t-1");

        h.Stream("t-1", "temperature", 20.0, TimeSpan.FromMinutes(30), every: TimeSpan.FromMinutes(1));
        h.Send("t-1", ("temperature", 20.1));

        Assert.Empty(h.Alerts);
    }
}
