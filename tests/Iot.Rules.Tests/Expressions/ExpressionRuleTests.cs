using Iot.Api.Alerts;
using Iot.Api.Validation;
using Iot.Rules.Metrics;

namespace Iot.Rules.Tests.Expressions;

public sealed class ExpressionRuleTests
{
    private static string Rule(string expression) => $$$"""
        metadata: {name: north-hot, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {expression: '{{{expression}}}'}
          actions: [{alert: {severity: warning}}]
        """;

    [Fact]
    public void An_expression_over_fields_labels_and_room_fires_for_the_devices_it_holds_for_and_resolves()
    {
        using var h = new EngineHarness().WithRule(Rule("temperature > 30 && device.labels.zone == \"north\" && room == \"lab-1\""));
        h.Engine.UpsertDevice(Manifests.Thermostat("north-1", labels: "{zone: north}"));
        h.Engine.UpsertDevice(Manifests.Thermostat("south-1", labels: "{zone: south}"));

        h.Send("north-1", ("temperature", 31.0));
        h.Send("south-1", ("temperature", 31.0));
        h.Send("north-1", ("temperature", 29.0));

        Assert.Equal([("north-1", AlertStatus.Firing), ("north-1", AlertStatus.Resolved)], h.Alerts.Select(a => (a.Device, a.Status)));
        Assert.Null(h.Alerts[0].Value);
    }

    [Fact]
    public void A_missing_field_is_no_verdict_and_is_counted_while_has_guards_it()
    {
        using var h = new EngineHarness().WithRule(Rule("humidity > 80")).WithThermostats("t-1");
        h.Engine.UpsertRule(Manifests.Rule(Rule("has(humidity) && humidity > 80").Replace("north-hot", "guarded")));

        h.Send("t-1", ("humidity", 90.0));
        h.Send("t-1", ("temperature", 20.0));

        Assert.Equal([("north-hot", AlertStatus.Firing), ("guarded", AlertStatus.Firing), ("guarded", AlertStatus.Resolved)], h.Alerts.Select(a => (a.Rule, a.Status)));
        Assert.Equal(1, h.Stats("north-hot").Errors[RuleErrorReason.MissingField]);
        Assert.Empty(h.Stats("guarded").Errors);
    }

    [Fact]
    public void An_expression_that_does_not_fit_a_devices_schema_skips_that_device_with_the_operators_message()
    {
        var rule = Manifests.Rule(Rule("humidty > 80 && mode > 3"));
        var device = Manifests.Thermostat("t-1");
        using var h = new EngineHarness();
        h.Engine.UpsertRule(rule);
        h.Engine.UpsertDevice(device);

        h.Send("t-1", ("humidity", 90.0), ("mode", "eco"));

        var operatorErrors = ResourceSetValidator.Validate([rule, device], [])
            .Where(f => ReferenceEquals(f.Object, rule)).Select(f => f.Error.ToString()).ToList();
        Assert.Equal(2, operatorErrors.Count);
        var stats = h.Stats("north-hot");
        Assert.Equal(string.Join("; ", operatorErrors).Replace(" (in the telemetry of t-1 (type thermostat)); spec.condition.expression:", ";"), stats.LastProblem);
        Assert.Equal(1, stats.Errors[RuleErrorReason.TypeError]);
        Assert.Equal(0, stats.Evaluations);
        Assert.Empty(h.Alerts);
    }

    [Fact]
    public void A_device_without_a_schema_is_evaluated_dynamically()
    {
        using var h = new EngineHarness().WithRule(Rule("level * 2 > 10"));
        h.Engine.UpsertDevice(Manifests.Device("""
            metadata: {name: tank-1, namespace: building-a}
            spec: {type: thermostat}
            """));

        h.Send("tank-1", ("level", "high"));
        h.Send("tank-1", ("level", 6L));

        Assert.Equal(AlertStatus.Firing, Assert.Single(h.Alerts).Status);
        Assert.Equal(1, h.Stats("north-hot").Errors[RuleErrorReason.TypeMismatch]);
    }
}
