using System.Text.Json;

using Iot.Rules.Metrics;

namespace Iot.Rules.Tests.Actions;

public sealed class CommandActionTests
{
    private static string Rule(string device, string command = "setpoint") => $$$"""
        metadata: {name: cool-down, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {threshold: {field: temperature, operator: ">", value: 30}}
          actions:
            - command: {device: {{{device}}}, name: {{{command}}}, payload: {value: 21, unit: Cel}}
        """;

    private static EngineHarness WithHvac(string rule, string commands)
    {
        var h = new EngineHarness().WithRule(rule).WithThermostats("t-1");
        h.Engine.UpsertDevice(Manifests.Device($$"""
            metadata: {name: hvac-1, namespace: building-a}
            spec: {type: hvac, room: lab-1, commands: {{commands}}}
            """));
        return h;
    }

    [Fact]
    public void A_command_the_target_declares_is_sent_to_its_command_topic_when_the_rule_fires_only()
    {
        using var h = WithHvac(Rule("hvac-1"), "[reboot, setpoint]");

        h.Send("t-1", ("temperature", 31.0));
        h.Send("t-1", ("temperature", 20.0));

        var command = Assert.Single(h.Sink.Commands);
        Assert.Equal(("cool-down", "t-1", "hvac-1", "setpoint"), (command.Rule, command.SourceDevice, command.TargetDevice, command.Name));
        Assert.Equal("devices/hvac-1/command", command.Topic);
        using var message = JsonDocument.Parse(command.ToMessage("c-1", h.Now));
        Assert.Equal("setpoint", message.RootElement.GetProperty("name").GetString());
        Assert.Equal(21, message.RootElement.GetProperty("payload").GetProperty("value").GetInt32());
        Assert.Equal("Cel", message.RootElement.GetProperty("payload").GetProperty("unit").GetString());
        Assert.Equal("c-1", message.RootElement.GetProperty("id").GetString());
        Assert.Equal(h.Now, message.RootElement.GetProperty("timestamp").GetDateTimeOffset());
    }

    [Fact]
    public void A_command_the_target_does_not_declare_is_refused_counted_and_reported_never_sent()
    {
        using var h = WithHvac(Rule("hvac-1"), "[reboot]");

        h.Send("t-1", ("temperature", 31.0));

        Assert.Empty(h.Sink.Commands);
        var stats = h.Stats("cool-down");
        Assert.Equal(1, stats.Firings);
        Assert.Equal(1, stats.Errors[RuleErrorReason.CommandNotDeclared]);
        Assert.Equal("command \"setpoint\" not sent: Device \"hvac-1\" does not declare it; its commands: reboot", stats.LastProblem);
    }

    [Fact]
    public void A_command_to_a_device_that_does_not_exist_is_refused()
    {
        using var h = WithHvac(Rule("hvac-9"), "[setpoint]");

        h.Send("t-1", ("temperature", 31.0));

        Assert.Empty(h.Sink.Commands);
        Assert.Equal("command \"setpoint\" not sent: Device \"hvac-9\" does not exist in namespace building-a", h.Stats("cool-down").LastProblem);
    }

    [Fact]
    public void Self_targets_the_device_whose_telemetry_fired_the_rule()
    {
        using var h = WithHvac(Rule("self"), "[setpoint]");
        h.Engine.UpsertDevice(Manifests.Thermostat("t-2"));

        h.Send("t-2", ("temperature", 35.0));

        var command = Assert.Single(h.Sink.Commands);
        Assert.Equal(("t-2", "t-2"), (command.SourceDevice, command.TargetDevice));
    }

    [Fact]
    public void Self_is_refused_for_a_device_that_does_not_declare_the_command()
    {
        using var h = WithHvac(Rule("self", command: "reboot"), "[setpoint]");

        h.Send("t-1", ("temperature", 35.0));

        Assert.Empty(h.Sink.Commands);
        Assert.Equal(1, h.Stats("cool-down").Errors[RuleErrorReason.CommandNotDeclared]);
    }
}
