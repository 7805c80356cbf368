using Iot.Api.Alerts;

namespace Iot.Rules.Tests.Conditions;

public sealed class ThresholdTests
{
    private const string Hot = """
        metadata: {name: hot, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {threshold: {field: temperature, operator: ">", value: 30}}
          actions:
            - alert: {severity: critical, summary: '{device} in {room} at {value} °C ({field}, {rule})', labels: {team: facilities}}
        """;

    [Fact]
    public void Threshold_fires_when_the_field_crosses_and_resolves_when_it_falls_back()
    {
        using var h = new EngineHarness().WithRule(Hot).WithThermostats("t-1");
        var start = h.Now;

        h.Send("t-1", ("temperature", 29.5));
        Assert.Empty(h.Alerts);

        h.Advance(TimeSpan.FromSeconds(10));
        h.Send("t-1", ("temperature", 31.25));
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(AlertStatus.Firing, firing.Status);
        Assert.Equal(AlertEvent.FingerprintOf("building-a", "hot", "t-1"), firing.Fingerprint);
        Assert.Equal(start.AddSeconds(10), firing.StartsAt);
        Assert.Null(firing.EndsAt);
        Assert.Equal(31.25, firing.Value);
        Assert.Equal("t-1 in lab-1 at 31.25 °C (temperature, hot)", firing.Annotations["summary"]);

        h.Advance(TimeSpan.FromSeconds(10));
        h.Send("t-1", ("temperature", 32.0));
        Assert.Single(h.Alerts); // still firing: one event per transition

        h.Advance(TimeSpan.FromSeconds(10));
        h.Send("t-1", ("temperature", 30.0));
        var resolved = h.Alerts[1];
        Assert.Equal(AlertStatus.Resolved, resolved.Status);
        Assert.Equal(firing.Fingerprint, resolved.Fingerprint);
        Assert.Equal(start.AddSeconds(10), resolved.StartsAt);
        Assert.Equal(start.AddSeconds(30), resolved.EndsAt);
        Assert.Equal(30.0, resolved.Value);
    }

    [Fact]
    public void Alert_labels_carry_the_rule_device_room_type_severity_namespace_and_the_actions_own()
    {
        using var h = new EngineHarness().WithRule(Hot).WithThermostats("t-1");

        h.Send("t-1", ("temperature", 35.0));

        var labels = Assert.Single(h.Alerts).Labels;
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["alertname"] = "hot",
                ["rule"] = "hot",
                ["device"] = "t-1",
                ["room"] = "lab-1",
                ["type"] = "thermostat",
                ["severity"] = "critical",
                ["namespace"] = "building-a",
                ["team"] = "facilities",
            },
            labels);
        Assert.Equal("building-a", h.Alerts[0].Namespace);
        Assert.Equal("lab-1", h.Alerts[0].Room);
    }

    [Fact]
    public void Hold_time_fires_only_after_the_value_stayed_above_for_the_whole_hold()
    {
        using var h = new EngineHarness().WithRule(Hot.Replace("value: 30}", "value: 30, for: 2m}")).WithThermostats("t-1");
        var start = h.Now;

        h.Stream("t-1", "temperature", 31.0, TimeSpan.FromSeconds(90), every: TimeSpan.FromSeconds(10));
        h.Send("t-1", ("temperature", 29.0)); // a dip at 1m30s restarts the hold
        h.Advance(TimeSpan.FromSeconds(10));
        h.Stream("t-1", "temperature", 31.0, TimeSpan.FromSeconds(110), every: TimeSpan.FromSeconds(10));
        Assert.Empty(h.Alerts);

        h.Clock.Advance(TimeSpan.FromSeconds(10)); // no tick: the message decides
        h.Send("t-1", ("temperature", 31.0)); // 2m after the value went back above 30
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(start + TimeSpan.FromSeconds(100) + TimeSpan.FromMinutes(2), firing.StartsAt);
    }

    [Fact]
    public void Hold_time_fires_on_the_timer_when_the_device_sends_nothing_more()
    {
        using var h = new EngineHarness().WithRule(Hot.Replace("value: 30}", "value: 30, for: 2m}")).WithThermostats("t-1");
        var start = h.Now;

        h.Send("t-1", ("temperature", 33.0)); // reports by exception: nothing more while the value stays
        h.Advance(TimeSpan.FromSeconds(119));
        Assert.Empty(h.Alerts);

        h.Advance(TimeSpan.FromSeconds(1));
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(start.AddMinutes(2), firing.StartsAt);
        Assert.Equal(33.0, firing.Value);
    }

    [Fact]
    public void Clear_condition_resolves_only_below_the_lower_threshold()
    {
        using var h = new EngineHarness().WithRule(Hot.Replace("  actions:", """
              clear: {threshold: {field: temperature, operator: "<", value: 28}}
              actions:
            """)).WithThermostats("t-1");

        h.Send("t-1", ("temperature", 31.0));
        h.Send("t-1", ("temperature", 29.0));
        h.Send("t-1", ("temperature", 28.0));
        Assert.Equal([AlertStatus.Firing], h.Alerts.Select(a => a.Status));

        h.Send("t-1", ("temperature", 27.5));
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
        Assert.Equal(27.5, h.Alerts[1].Value);

        h.Send("t-1", ("temperature", 29.0)); // between the thresholds: stays resolved
        h.Send("t-1", ("temperature", 30.5));
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved, AlertStatus.Firing], h.Alerts.Select(a => a.Status));
    }

    [Fact]
    public void Cooldown_defers_a_new_firing_until_it_has_passed_and_fires_then_if_the_condition_still_holds()
    {
        using var h = new EngineHarness().WithRule(Hot.Replace("  actions:", "  cooldown: 10m\n  actions:")).WithThermostats("t-1");
        var start = h.Now;

        h.Send("t-1", ("temperature", 31.0));
        h.Advance(TimeSpan.FromMinutes(1));
        h.Send("t-1", ("temperature", 25.0));
        h.Advance(TimeSpan.FromMinutes(1));
        h.Send("t-1", ("temperature", 32.0)); // holds again 2m after firing: within the cooldown
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));

        h.Advance(TimeSpan.FromMinutes(7));
        h.Send("t-1", ("temperature", 33.0));
        Assert.Equal(2, h.Alerts.Count);

        h.Advance(TimeSpan.FromMinutes(1)); // the cooldown ends at 10m; the last value still holds
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved, AlertStatus.Firing], h.Alerts.Select(a => a.Status));
        Assert.Equal(start.AddMinutes(10), h.Alerts[2].StartsAt);
        Assert.Equal(33.0, h.Alerts[2].Value);
        Assert.Equal(1, h.Stats("hot").SuppressedByCooldown);
    }

    [Fact]
    public void Cooldown_ends_without_a_firing_when_the_condition_stopped_holding()
    {
        using var h = new EngineHarness().WithRule(Hot.Replace("  actions:", "  cooldown: 10m\n  actions:")).WithThermostats("t-1");

        h.Send("t-1", ("temperature", 31.0));
        h.Send("t-1", ("temperature", 25.0));
        h.Advance(TimeSpan.FromMinutes(2));
        h.Send("t-1", ("temperature", 31.0));
        h.Advance(TimeSpan.FromMinutes(1));
        h.Send("t-1", ("temperature", 25.0));
        h.Advance(TimeSpan.FromMinutes(20));

        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
    }

    [Fact]
    public void Dry_run_counts_would_be_firings_and_acts_on_nothing()
    {
        using var h = new EngineHarness().WithRule("""
            metadata: {name: hot, namespace: building-a}
            spec:
              selector: {types: [thermostat]}
              condition: {threshold: {field: temperature, operator: ">", value: 30}}
              actions:
                - alert: {severity: critical}
                - command: {device: self, name: setpoint, payload: {value: 21}}
                - publish: {topic: 'derived/{device}/hot'}
              mode: dryRun
            """).WithThermostats("t-1", "t-2");

        h.Send("t-1", ("temperature", 31.0));
        h.Send("t-1", ("temperature", 20.0));
        h.Send("t-1", ("temperature", 31.0));
        h.Send("t-2", ("temperature", 40.0));

        Assert.Equal(0, h.Sink.Count);
        var stats = h.Stats("hot");
        Assert.Equal(3, stats.DryRunFirings);
        Assert.Equal(0, stats.Firings);
        Assert.NotNull(stats.LastFired);
    }

    [Fact]
    public void A_message_without_the_field_decides_nothing_and_is_counted()
    {
        using var h = new EngineHarness().WithRule(Hot).WithThermostats("t-1");

        h.Send("t-1", ("temperature", 31.0));
        h.Send("t-1", ("humidity", 50.0));
        h.Send("t-1", ("temperature", "warm"));

        Assert.Equal([AlertStatus.Firing], h.Alerts.Select(a => a.Status));
        var errors = h.Stats("hot").Errors;
        Assert.Equal(1, errors[Metrics.RuleErrorReason.MissingField]);
        Assert.Equal(1, errors[Metrics.RuleErrorReason.WrongType]);
    }
}
