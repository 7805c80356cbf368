using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Kube;
using Iot.Operator.EdgeRules;
using Iot.Operator.Rooms;

using k8s.Models;

using static Iot.Operator.Tests.Rules.ControllerTestSupport;

namespace Iot.Operator.Tests.EdgeRules;

public sealed class EdgeRuleControllerTests
{
    private static EdgeRule NewRule(string name, string field, string? cooldown = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new EdgeRuleSpec
        {
            Selector = new DeviceSelector { Types = ["thermostat"] },
            Condition = new RuleCondition { Threshold = new ThresholdCondition { Field = field, Operator = ComparisonOperator.GreaterThan, Value = 30 } },
            Actions = [new RuleAction { Alert = new AlertAction { Severity = Severity.Warning, Summary = "hot" } }],
            Cooldown = cooldown,
        },
    };

    private static Device NewDevice(string name, params string[] fields) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new DeviceSpec { Type = "thermostat", Telemetry = [.. fields.Select(f => new TelemetryField { Name = f, Type = TelemetryType.Number })] },
    };

    [Fact]
    public async Task A_valid_rule_is_ready_with_its_kind_and_matched_devices()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var rules = new ResourceClient<EdgeRule>(client, EdgeRuleController.EdgeRules);
        var devices = new ResourceClient<Device>(client, RoomController.Devices);
        await devices.CreateAsync(NewDevice("t1", "temperature"));
        await devices.CreateAsync(NewDevice("t2", "temperature", "humidity"));
        await rules.CreateAsync(NewRule("too-hot", "temperature"));
        await using var running = await RunAsync(EdgeRuleController.Create(client, TimeProvider.System));

        var rule = await EventuallyAsync(rules, "too-hot", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.True, "the rule is ready");
        Assert.Equal("threshold", rule.Status!.ConditionKind);
        Assert.Equal(2, rule.Status.MatchedDevices);
        Assert.Equal(rule.Metadata.Generation, rule.Status.ObservedGeneration);
    }

    [Fact]
    public async Task An_invalid_rule_is_not_ready_with_the_field_and_message()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var rules = new ResourceClient<EdgeRule>(client, EdgeRuleController.EdgeRules);
        await rules.CreateAsync(NewRule("too-hot", "temperature", cooldown: "500ms"));
        await using var running = await RunAsync(EdgeRuleController.Create(client, TimeProvider.System));

        var rule = await EventuallyAsync(rules, "too-hot", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.False, "the rule is not ready");
        var ready = Condition(rule.Status, "Ready")!;
        Assert.Equal("InvalidSpec", ready.Reason);
        Assert.Equal("spec.cooldown: must be at least 1s, got 500ms", ready.Message);
    }

    [Fact]
    public async Task A_rule_on_a_field_the_devices_lack_is_not_ready_until_the_device_schema_has_it()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var rules = new ResourceClient<EdgeRule>(client, EdgeRuleController.EdgeRules);
        var devices = new ResourceClient<Device>(client, RoomController.Devices);
        await devices.CreateAsync(NewDevice("t1", "temperature"));
        await rules.CreateAsync(NewRule("too-humid", "humidity"));
        var time = new ManualTimeProvider();
        await using var running = await RunAsync(EdgeRuleController.Create(client, time));

        var rule = await EventuallyAsync(rules, "too-humid", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.False, "the rule is not ready");
        var notReady = Condition(rule.Status, "Ready")!;
        Assert.Equal("InvalidReferences", notReady.Reason);
        Assert.Equal("spec.condition.threshold.field: field \"humidity\" is not in the telemetry of selected device(s) t1 (type thermostat)", notReady.Message);
        Assert.Equal(1, rule.Status!.MatchedDevices);
        time.Advance(TimeSpan.FromMinutes(5));

        await devices.MergePatchAsync("t1", Namespace, new { spec = new { telemetry = new[] { new { name = "temperature", type = "number" }, new { name = "humidity", type = "number" } } } });

        rule = await EventuallyAsync(rules, "too-humid", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.True, "fixing the device made the rule ready");
        Assert.True(Condition(rule.Status, "Ready")!.LastTransitionTime > notReady.LastTransitionTime);
    }
}
