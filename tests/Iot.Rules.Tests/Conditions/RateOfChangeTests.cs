using Iot.Api.Alerts;
using Iot.Rules.Metrics;

namespace Iot.Rules.Tests.Conditions;

public sealed class RateOfChangeTests
{
    private const string Rising = """
        metadata: {name: rising, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {rateOfChange: {field: temperature, per: 1m, operator: ">", value: 2}}
          actions: [{alert: {severity: warning}}]
        """;

    [Fact]
    public void Rate_of_change_fires_when_the_field_rises_faster_than_the_value_per_unit_and_resolves_when_it_slows()
    {
        using var h = new EngineHarness().WithRule(Rising).WithThermostats("t-1");
        var start = h.Now;

        h.SendAt("t-1", start, ("temperature", 20.0));
        h.SendAt("t-1", start.AddSeconds(30), ("temperature", 21.0)); // 2 per minute: not more than 2
        Assert.Empty(h.Alerts);

        h.SendAt("t-1", start.AddSeconds(60), ("temperature", 22.5)); // 3 per minute
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(3.0, firing.Value!.Value, precision: 9);

        h.SendAt("t-1", start.AddSeconds(180), ("temperature", 23.5)); // 0.5 per minute
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
        Assert.Equal(0.5, h.Alerts[1].Value!.Value, precision: 9);
    }

    [Fact]
    public void A_message_not_newer_than_the_previous_is_skipped_and_counted()
    {
        using var h = new EngineHarness().WithRule(Rising).WithThermostats("t-1");
        var start = h.Now;

        h.SendAt("t-1", start.AddSeconds(60), ("temperature", 20.0));
        h.SendAt("t-1", start.AddSeconds(60), ("temperature", 90.0));
        h.SendAt("t-1", start.AddSeconds(30), ("temperature", 90.0));
        h.SendAt("t-1", start.AddSeconds(120), ("temperature", 20.5));

        Assert.Empty(h.Alerts);
        Assert.Equal(2, h.Stats("rising").Errors[RuleErrorReason.OutOfOrder]);
    }
}
