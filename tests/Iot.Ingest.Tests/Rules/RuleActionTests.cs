using System.Diagnostics;
using System.Text.Json;

using Iot.Api.Alerts;
using Iot.Api.EdgeRules;
using Iot.Ingest.Telemetry;
using Iot.Ingest.Tests.Support;
using Iot.Kube;

using MQTTnet.Protocol;

namespace Iot.Ingest.Tests.Rules;

/// <summary>EdgeRules from the API server run on ingested telemetry; their actions reach the broker. Rule time is driven.</summary>
[Collection(IngestCollection.Name)]
public sealed class RuleActionTests : IDisposable
{
    private readonly IngestFixture fixture;
    private readonly ManualTimeProvider time = new(new DateTimeOffset(DateTime.UtcNow.Date, TimeSpan.Zero));
    private readonly ActivityListener tracing = new()
    {
        ShouldListenTo = source => source.Name == IngestTracing.SourceName,
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    public RuleActionTests(IngestFixture fixture)
    {
        this.fixture = fixture;
        ActivitySource.AddActivityListener(tracing);
    }

    [Fact]
    public async Task A_threshold_rule_fires_an_alert_event_at_QoS_1_with_its_trace_context_then_resolves_it()
    {
        var ns = await fixture.CreateNamespaceAsync("lab-1");
        await CreateThermostatsAsync(ns, "thermo-1");
        await fixture.CreateRuleAsync(ns, """
            metadata: {name: too-hot}
            spec:
              selector: {rooms: [lab-1]}
              condition: {threshold: {field: temperature, operator: ">", value: 30}}
              actions: [{alert: {severity: critical, summary: '{device} at {value}'}}]
            """);
        await using var ingest = await IngestHost.StartAsync(fixture, ns, time);
        await using var notify = await MqttTestClient.ConnectAsync(fixture.Broker.Port, AlertEvent.TopicPrefix + "#");
        await using var device = await MqttTestClient.ConnectAsync(fixture.Broker.Port);

        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 35}""");
        var firing = await notify.WaitForAsync("_iot/alerts/too-hot/thermo-1");
        time.Advance(TimeSpan.FromSeconds(30));
        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 20}""");
        var resolved = await notify.WaitForAsync("_iot/alerts/too-hot/thermo-1", m => m != firing);

        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, firing.QualityOfService);
        var fired = AlertEvent.Parse(System.Text.Encoding.UTF8.GetBytes(firing.Payload));
        Assert.Equal((AlertStatus.Firing, "too-hot", "thermo-1", "lab-1", 35.0), (fired.Status, fired.Rule, fired.Device, fired.Room, fired.Value));
        Assert.Equal(AlertEvent.FingerprintOf(ns, "too-hot", "thermo-1"), fired.Fingerprint);
        Assert.Equal("thermo-1 at 35", fired.Annotations["summary"]);
        Assert.Equal(time.GetUtcNow() - TimeSpan.FromSeconds(30), fired.StartsAt);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", firing.UserProperties[IngestTracing.TraceParentProperty]);

        var ended = AlertEvent.Parse(System.Text.Encoding.UTF8.GetBytes(resolved.Payload));
        Assert.Equal((AlertStatus.Resolved, fired.Fingerprint, (DateTimeOffset?)time.GetUtcNow()), (ended.Status, ended.Fingerprint, ended.EndsAt));
        Assert.True(ingest.Metrics.Sum("iot_ingest_alert_publish_seconds") > 0);
    }

    [Fact]
    public async Task A_command_action_reaches_the_target_devices_command_topic_and_no_other()
    {
        var ns = await fixture.CreateNamespaceAsync("lab-1");
        await CreateThermostatsAsync(ns, "thermo-1", "thermo-2");
        await fixture.CreateDeviceAsync(ns, "{metadata: {name: hvac-1}, spec: {type: hvac, commands: [setpoint, reboot]}}");
        await fixture.CreateRuleAsync(ns, """
            metadata: {name: cool-down}
            spec:
              selector: {types: [thermostat]}
              condition: {threshold: {field: temperature, operator: ">", value: 30}}
              actions: [{command: {device: hvac-1, name: setpoint, payload: {value: 21}}}]
            """);
        await using var ingest = await IngestHost.StartAsync(fixture, ns, time);
        await using var everyDevice = await MqttTestClient.ConnectAsync(fixture.Broker.Port, "devices/+/command");
        await using var device = await MqttTestClient.ConnectAsync(fixture.Broker.Port);

        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 35}""");
        var command = await everyDevice.WaitForAsync("devices/hvac-1/command");

        // A later message that fires nothing makes sure nothing else was on its way.
        await device.PublishTelemetryAsync("thermo-2", """{"temperature": 20}""");
        await Eventually.TrueAsync(() => ingest.Metrics.Messages(RejectionReasons.Accepted) == 2, "both messages are processed");
        await ingest.Store.FlushAsync();
        Assert.Equal(["devices/hvac-1/command"], everyDevice.Received.Select(m => m.Topic));
        using var json = JsonDocument.Parse(command.Payload);
        Assert.Equal("setpoint", json.RootElement.GetProperty("name").GetString());
        Assert.Equal(21, json.RootElement.GetProperty("payload").GetProperty("value").GetInt32());
        Assert.False(string.IsNullOrEmpty(json.RootElement.GetProperty("id").GetString()));
        Assert.Equal(time.GetUtcNow(), json.RootElement.GetProperty("timestamp").GetDateTimeOffset());
        Assert.Equal(MqttQualityOfServiceLevel.AtLeastOnce, command.QualityOfService);
    }

    [Fact]
    public async Task LastFired_is_written_to_the_EdgeRule_status_at_most_once_per_rule_per_interval()
    {
        var ns = await fixture.CreateNamespaceAsync("lab-1");
        await CreateThermostatsAsync(ns, "thermo-1");
        await fixture.CreateRuleAsync(ns, """
            metadata: {name: too-hot}
            spec:
              selector: {rooms: [lab-1]}
              condition: {threshold: {field: temperature, operator: ">", value: 30}}
              actions: [{publish: {topic: 'derived/{device}/hot'}}]
            """);
        await using var ingest = await IngestHost.StartAsync(fixture, ns, time);
        await using var device = await MqttTestClient.ConnectAsync(fixture.Broker.Port, "derived/#");
        var firedAt = time.GetUtcNow();
        await FireAndResolveAsync(device, 1);
        time.Advance(TimeSpan.FromSeconds(4));
        await FireAndResolveAsync(device, 2);

        time.Advance(TimeSpan.FromSeconds(6));
        await Eventually.TrueAsync(async () => await LastFiredAsync(ns) is not null, "status.lastFired is written");
        Assert.Equal((firedAt + TimeSpan.FromSeconds(4)).UtcDateTime, await LastFiredAsync(ns));
        Assert.Equal(1, StatusPatches(ns));

        time.Advance(TimeSpan.FromSeconds(10)); // nothing fired in this interval: nothing to write

        await FireAndResolveAsync(device, 3);
        time.Advance(TimeSpan.FromSeconds(10));
        await Eventually.TrueAsync(async () => await LastFiredAsync(ns) == (firedAt + TimeSpan.FromSeconds(20)).UtcDateTime, "the later firing is written");
        Assert.Equal(2, StatusPatches(ns));
    }

    public void Dispose() => tracing.Dispose();

    // One firing and its resolution, both published (on derived/...), so the engine has seen them before time moves.
    private static async Task FireAndResolveAsync(MqttTestClient device, int round)
    {
        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 35}""");
        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 20}""");
        await Eventually.TrueAsync(() => device.Received.Count == 2 * round, $"firing and resolution {round} are published");
    }

    private async Task<DateTime?> LastFiredAsync(string ns) =>
        (await new ResourceClient<EdgeRule>(fixture.Kube, KubeResource.For<EdgeRule>()).GetAsync("too-hot", ns))?.Status?.LastFired?.ToUniversalTime();

    private int StatusPatches(string ns) =>
        fixture.Cluster.RequestLog.Requests.Count(r => r.Verb == "patch" && r.Resource == "edgerules" && r.Subresource == "status" && r.Namespace == ns);

    private async Task CreateThermostatsAsync(string ns, params string[] ids)
    {
        foreach (var id in ids)
        {
            await fixture.CreateDeviceAsync(ns, $$"""
                metadata: {name: {{id}}}
                spec:
                  type: thermostat
                  room: lab-1
                  telemetry: [{name: temperature, type: number}]
                  commands: [setpoint]
                """);
        }
    }
}
