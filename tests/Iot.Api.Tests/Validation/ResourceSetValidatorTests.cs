using Iot.Api.AlertRoutes;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Rooms;
using Iot.Api.Validation;

using k8s;
using k8s.Models;

namespace Iot.Api.Tests.Validation;

public sealed class ResourceSetValidatorTests
{
    private static readonly Room Lab = Yaml.Parse<Room>("metadata: {name: lab-1, namespace: b}\nspec: {}");

    private static readonly Device Thermostat = Yaml.Parse<Device>("""
        metadata: {name: thermo-1, namespace: b, labels: {zone: north}}
        spec:
          type: thermostat
          room: lab-1
          telemetry: [{name: temperature, type: number}, {name: heating, type: boolean}]
          commands: [setpoint]
        """);

    private static readonly Device Door = Yaml.Parse<Device>("""
        metadata: {name: door-1, namespace: b}
        spec: {type: door-sensor, room: lab-1, telemetry: [{name: open, type: boolean}]}
        """);

    private static List<string> Findings(params IKubernetesObject<V1ObjectMeta>[] objects) => Findings(objects, []);

    private static List<string> Findings(IKubernetesObject<V1ObjectMeta>[] objects, V1Secret[] secrets) =>
        [.. ResourceSetValidator.Validate(objects, secrets).Select(f => $"{(f.IsWarning ? "warning: " : "")}{f.Object.Kind}/{f.Object.Metadata.Name}: {f.Error}")];

    private static EdgeRule Rule(string selector, string condition, string actions = "[{alert: {severity: info}}]") =>
        Yaml.Parse<EdgeRule>($"metadata: {{name: r, namespace: b}}\nspec: {{selector: {selector}, condition: {condition}, actions: {actions}}}");

    [Fact]
    public void A_consistent_set_has_no_findings() =>
        Assert.Empty(Findings(Lab, Thermostat, Door, Rule("{types: [thermostat]}", "{threshold: {field: temperature, operator: '>', value: 30}}")));

    [Fact]
    public void Device_naming_a_room_not_in_the_set_is_an_error() => Assert.Equal(
        ["Device/thermo-1: spec.room: Room \"lab-1\" is not defined in namespace b; rooms in the set: none"],
        Findings(Thermostat));

    [Fact]
    public void Rooms_are_related_only_within_one_namespace()
    {
        var elsewhere = Yaml.Parse<Room>("metadata: {name: lab-1, namespace: other}\nspec: {}");
        Assert.Single(Findings(elsewhere, Thermostat));
    }

    [Fact]
    public void EdgeRule_on_a_field_its_devices_lack_names_the_devices() => Assert.Equal(
        ["EdgeRule/r: spec.condition.threshold.field: field \"humidity\" is not in the telemetry of selected device(s) thermo-1 (type thermostat)"],
        Findings(Lab, Thermostat, Rule("{rooms: [lab-1], types: [thermostat]}", "{threshold: {field: humidity, operator: '>', value: 30}}")));

    [Fact]
    public void EdgeRule_threshold_on_a_boolean_field_is_an_error() => Assert.Equal(
        ["EdgeRule/r: spec.condition.threshold.field: field \"open\" must be a number or integer but is boolean in the telemetry of door-1 (type door-sensor)"],
        Findings(Lab, Door, Rule("{}", "{threshold: {field: open, operator: '>', value: 0}}")));

    [Fact]
    public void EdgeRule_expression_is_type_checked_against_each_selected_schema()
    {
        var finding = Assert.Single(Findings(Lab, Thermostat, Door, Rule("{}", "{expression: 'temperature > 30'}")));
        Assert.StartsWith("EdgeRule/r: spec.condition.expression: column 1: unknown field 'temperature'", finding, StringComparison.Ordinal);
        Assert.EndsWith("(in the telemetry of door-1 (type door-sensor))", finding, StringComparison.Ordinal);
    }

    [Fact]
    public void EdgeRule_selecting_no_device_is_only_a_warning() => Assert.Equal(
        ["warning: EdgeRule/r: spec.selector: matches no Device in the given files"],
        Findings(Lab, Thermostat, Rule("{matchLabels: {zone: south}}", "{absence: {for: 5m}}")));

    [Fact]
    public void Command_actions_need_commands_the_target_declares() => Assert.Equal(
        [
            "EdgeRule/r: spec.actions[0].command.name: command \"reboot\" is not in spec.commands of selected device(s) thermo-1",
            "EdgeRule/r: spec.actions[1].command.device: Device \"hvac-9\" is not defined in namespace b",
        ],
        Findings(Lab, Thermostat, Rule("{types: [thermostat]}", "{absence: {for: 5m}}",
            "[{command: {device: self, name: reboot}}, {command: {device: hvac-9, name: setpoint}}]")));

    [Fact]
    public void Secret_references_are_checked_against_secrets_in_the_set()
    {
        var route = Yaml.Parse<AlertRoute>("""
            metadata: {name: hooks, namespace: b}
            spec:
              receivers:
                - {name: a, webhook: {url: 'http://h/x', tokenSecretRef: {name: hook, key: token}}}
                - {name: s, slack: {urlSecretRef: {name: slack, key: url}}}
            """);
        var hook = new V1Secret { Metadata = new V1ObjectMeta { Name = "hook", NamespaceProperty = "b" }, StringData = new Dictionary<string, string> { ["other"] = "x" } };
        Assert.Equal(
            [
                "AlertRoute/hooks: spec.receivers[0].webhook.tokenSecretRef: Secret \"hook\" has no key(s) token; it has: other",
                "warning: AlertRoute/hooks: spec.receivers[1].slack.urlSecretRef: Secret \"slack\" is not in the given files; it must exist in namespace b with key(s) url",
            ],
            Findings([route], [hook]));
    }

    [Fact]
    public void The_same_object_twice_is_an_error() => Assert.Equal(
        ["Room/lab-1: metadata.name: Room \"lab-1\" is defined more than once in namespace b"],
        Findings(Lab, Yaml.Parse<Room>("metadata: {name: lab-1, namespace: b}\nspec: {}")));
}
