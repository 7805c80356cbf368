using System.Text.Json;

using Iot.Api.Alerts;

namespace Iot.Rules.Tests.Actions;

public sealed class PublishActionTests
{
    private const string Rule = """
        metadata: {name: hot, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {threshold: {field: temperature, operator: ">", value: 30}}
          actions:
            - publish: {topic: 'derived/{room}/{device}/{rule}'}
            - alert: {severity: info}
        """;

    [Fact]
    public void Publish_fills_in_the_topic_and_carries_the_verdict_and_the_triggering_message()
    {
        using var h = new EngineHarness().WithRule(Rule).WithThermostats("t-1");

        h.Send("t-1", ("temperature", 31.5), ("heating", true), ("mode", "eco"), ("errors", 2L));
        h.Advance(TimeSpan.FromMinutes(1));
        h.Send("t-1", ("temperature", 20.0));

        Assert.Equal(["derived/lab-1/t-1/hot", "derived/lab-1/t-1/hot"], h.Sink.Publications.Select(p => p.Topic));
        using var firing = JsonDocument.Parse(h.Sink.Publications[0].Payload);
        var root = firing.RootElement;
        Assert.Equal("hot", root.GetProperty("rule").GetString());
        Assert.Equal("t-1", root.GetProperty("device").GetString());
        Assert.Equal("lab-1", root.GetProperty("room").GetString());
        Assert.Equal("firing", root.GetProperty("status").GetString());
        Assert.Equal(31.5, root.GetProperty("value").GetDouble());
        Assert.Equal(h.Now.AddMinutes(-1), root.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal("""{"temperature":31.5,"heating":true,"mode":"eco","errors":2}""", root.GetProperty("data").GetRawText());
        using var resolved = JsonDocument.Parse(h.Sink.Publications[1].Payload);
        Assert.Equal("resolved", resolved.RootElement.GetProperty("status").GetString());
    }

    [Fact]
    public void Actions_run_in_the_order_the_rule_lists_them()
    {
        var order = new List<string>();
        var sink = new OrderSink(order);
        using var engine = new RuleEngine(sink, new ManualTimeProvider());
        engine.UpsertRule(Manifests.Rule(Rule));
        engine.UpsertDevice(Manifests.Thermostat("t-1"));

        engine.Process(new Telemetry.TelemetryMessage("t-1", DateTimeOffset.UnixEpoch, new Telemetry.FieldValue[] { new("temperature", 40.0) }));

        Assert.Equal(["publish", "alert"], order);
    }

    private sealed class OrderSink(List<string> order) : Rules.Actions.IRuleActionSink
    {
        public void Alert(AlertEvent alert) => order.Add("alert");

        public void Command(Rules.Actions.RuleCommand command) => order.Add("command");

        public void Publish(Rules.Actions.RulePublication publication) => order.Add("publish");
    }
}
