using Iot.Api.Alerts;
using Iot.Rules.Metrics;

namespace Iot.Rules.Tests.Engine;

public sealed class RuleSetChangeTests
{
    private static string MeanAbove(double value, string name = "warm-mean") => $$$"""
        metadata: {name: {{{name}}}, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {window: {field: temperature, function: mean, size: 4m, operator: ">", value: {{{value}}}}}
          actions: [{alert: {severity: warning}}]
        """;

    private static string Above(double value, string name = "hot", string selector = "{types: [thermostat]}") => $$$"""
        metadata: {name: {{{name}}}, namespace: building-a}
        spec:
          selector: {{{selector}}}
          condition: {threshold: {field: temperature, operator: ">", value: {{{value}}}}}
          actions: [{alert: {severity: critical}}]
        """;

    // 30, 30 in the first two minutes, 22, 22 in the next two: the window [0, 4m) averages 26.
    private static void SendWindow(EngineHarness h, Action betweenHalves)
    {
        foreach (var value in new[] { 30.0, 30.0 })
        {
            h.Send("t-1", ("temperature", value));
            h.Advance(TimeSpan.FromMinutes(1));
        }

        betweenHalves();
        foreach (var value in new[] { 22.0, 22.0 })
        {
            h.Send("t-1", ("temperature", value));
            h.Advance(TimeSpan.FromMinutes(1));
        }

        h.Send("t-1", ("temperature", 22.0)); // 4m closes the window
    }

    [Fact]
    public void A_message_of_one_device_never_evaluates_another_devices_rules()
    {
        using var h = new EngineHarness()
            .WithRule(Above(30, "only-a", "{matchLabels: {unit: a}}"))
            .WithRule(Above(30, "only-b", "{matchLabels: {unit: b}}"));
        h.Engine.UpsertDevice(Manifests.Thermostat("a", labels: "{unit: a}"));
        h.Engine.UpsertDevice(Manifests.Thermostat("b", labels: "{unit: b}"));

        for (var i = 0; i < 100; i++)
        {
            h.Send("a", ("temperature", 35.0 + i));
        }

        Assert.Equal(100, h.Stats("only-a").Evaluations);
        Assert.Equal(0, h.Stats("only-b").Evaluations);
        Assert.Equal(["a"], h.Alerts.Select(a => a.Device));
    }

    [Fact]
    public void Reapplying_the_rule_set_keeps_the_window_state_of_rules_whose_spec_did_not_change()
    {
        using var h = new EngineHarness().WithRule(MeanAbove(25)).WithRule(Above(30)).WithThermostats("t-1");

        SendWindow(h, () => h.Engine.ApplyRules([Manifests.Rule(MeanAbove(25)), Manifests.Rule(Above(35))]));

        var alert = Assert.Single(h.Alerts);
        Assert.Equal(("warm-mean", 26.0), (alert.Rule, alert.Value));
    }

    [Fact]
    public void A_large_rule_set_change_rebinds_device_by_device_and_still_keeps_the_state_of_unchanged_rules()
    {
        using var h = new EngineHarness().WithRule(MeanAbove(25)).WithRule(Above(30)).WithThermostats("t-1");

        SendWindow(h, () => h.Engine.ApplyRules([
            Manifests.Rule(MeanAbove(25)),
            .. Enumerable.Range(0, 40).Select(i => Manifests.Rule(Above(50 + i, $"extra-{i}"))),
        ]));

        Assert.Equal(("warm-mean", 26.0), (Assert.Single(h.Alerts).Rule, h.Alerts[0].Value));
        Assert.Equal(41, h.Engine.RuleCount);
        Assert.Equal(3, h.Stats("extra-0").Evaluations);
    }

    [Fact]
    public void A_rule_whose_spec_changed_starts_its_conditions_afresh()
    {
        using var h = new EngineHarness().WithRule(MeanAbove(25)).WithThermostats("t-1");

        SendWindow(h, () => h.Engine.UpsertRule(Manifests.Rule(MeanAbove(24))));

        Assert.Empty(h.Alerts); // the new spec's first whole window starts after the change
    }

    [Fact]
    public void A_firing_alert_carries_over_a_spec_change_and_resolves_under_the_new_spec()
    {
        using var h = new EngineHarness().WithRule(Above(30)).WithThermostats("t-1");

        h.Send("t-1", ("temperature", 33.0));
        h.Engine.UpsertRule(Manifests.Rule(Above(32)));
        h.Send("t-1", ("temperature", 33.0));
        Assert.Equal([AlertStatus.Firing], h.Alerts.Select(a => a.Status));

        h.Send("t-1", ("temperature", 31.0));
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
    }

    [Fact]
    public void Removing_a_rule_resolves_its_firing_alerts_and_stops_evaluating_it()
    {
        using var h = new EngineHarness().WithRule(Above(30)).WithThermostats("t-1", "t-2");

        h.Send("t-1", ("temperature", 33.0));
        h.Send("t-2", ("temperature", 20.0));
        h.Engine.RemoveRule("hot");
        h.Engine.Tick();
        h.Send("t-2", ("temperature", 40.0));

        Assert.Equal([("t-1", AlertStatus.Firing), ("t-1", AlertStatus.Resolved)], h.Alerts.Select(a => (a.Device, a.Status)));
        Assert.Equal(0, h.Engine.RuleCount);
    }

    [Fact]
    public void Apply_rules_removes_the_rules_left_out()
    {
        using var h = new EngineHarness().WithRule(Above(30)).WithRule(Above(30, "other")).WithThermostats("t-1");

        h.Engine.ApplyRules([Manifests.Rule(Above(30, "other"))]);
        h.Send("t-1", ("temperature", 33.0));

        Assert.Equal(["other"], h.Alerts.Select(a => a.Rule));
    }

    [Fact]
    public void Removing_a_device_resolves_its_alerts_and_forgets_it()
    {
        using var h = new EngineHarness().WithRule(Above(30)).WithThermostats("t-1");

        h.Send("t-1", ("temperature", 33.0));
        h.Engine.RemoveDevice("t-1");
        h.Send("t-1", ("temperature", 40.0));

        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
        Assert.Equal(1, h.Engine.UnknownDeviceMessages);
        Assert.Equal(0, h.Engine.DeviceCount);
    }

    [Fact]
    public void A_device_whose_labels_change_leaves_the_rules_that_no_longer_select_it()
    {
        using var h = new EngineHarness().WithRule(Above(30, "north", "{matchLabels: {zone: north}}")).WithRule(Above(30, "south", "{matchLabels: {zone: south}}"));
        h.Engine.UpsertDevice(Manifests.Thermostat("t-1", labels: "{zone: north}"));

        h.Send("t-1", ("temperature", 33.0));
        h.Engine.UpsertDevice(Manifests.Thermostat("t-1", labels: "{zone: south}"));
        h.Send("t-1", ("temperature", 34.0));

        Assert.Equal([("north", AlertStatus.Firing), ("north", AlertStatus.Resolved), ("south", AlertStatus.Firing)], h.Alerts.Select(a => (a.Rule, a.Status)));
    }

    [Fact]
    public void An_update_of_a_device_that_rules_do_not_look_at_keeps_its_state()
    {
        using var h = new EngineHarness().WithRule(MeanAbove(25)).WithThermostats("t-1");

        SendWindow(h, () =>
        {
            var updated = Manifests.Thermostat("t-1");
            updated.Metadata.Annotations = new Dictionary<string, string> { ["note"] = "status changed" };
            h.Engine.UpsertDevice(updated);
        });

        Assert.Equal(26.0, Assert.Single(h.Alerts).Value);
    }

    [Fact]
    public void A_rule_that_cannot_be_compiled_is_not_evaluated_and_says_why()
    {
        using var h = new EngineHarness().WithRule(Above(30)).WithThermostats("t-1");

        h.Engine.UpsertRule(Manifests.Rule(Above(30).Replace("value: 30}", "value: 30, for: soon}")));
        h.Send("t-1", ("temperature", 33.0));

        Assert.Empty(h.Alerts);
        var stats = h.Stats("hot");
        Assert.Equal(1, stats.Errors[RuleErrorReason.InvalidRule]);
        Assert.StartsWith("not evaluated: spec.condition.threshold.for: 'soon' is not a duration", stats.LastProblem);
    }

    [Fact]
    public void A_device_of_another_partition_is_not_evaluated_but_can_receive_commands()
    {
        using var h = new EngineHarness(new RuleEngineOptions { Namespace = "building-a", OwnsDevice = id => id != "t-2" }).WithRule("""
            metadata: {name: hot, namespace: building-a}
            spec:
              selector: {types: [thermostat]}
              condition: {threshold: {field: temperature, operator: ">", value: 30}}
              actions: [{command: {device: t-2, name: setpoint}}]
            """).WithThermostats("t-1", "t-2");

        h.Send("t-2", ("temperature", 40.0));
        h.Send("t-1", ("temperature", 40.0));

        Assert.Equal(1, h.Stats("hot").Evaluations);
        Assert.Equal(("t-1", "t-2"), (Assert.Single(h.Sink.Commands).SourceDevice, h.Sink.Commands[0].TargetDevice));
    }

    [Fact]
    public async Task Changes_made_on_another_thread_take_effect_before_the_next_message()
    {
        using var h = new EngineHarness().WithThermostats("t-1");

        await Task.Run(() => h.Engine.UpsertRule(Manifests.Rule(Above(30))));
        h.Send("t-1", ("temperature", 33.0));

        Assert.Single(h.Alerts);
    }
}
