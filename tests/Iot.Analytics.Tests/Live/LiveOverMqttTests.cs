using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;

using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Api.Alerts;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

using MQTTnet;
using MQTTnet.Protocol;

namespace Iot.Analytics.Tests.Live;

/// <summary>Live data over a real mosquitto: telemetry through the shared subscription, retained rejections, alert events, readiness.</summary>
public sealed class LiveOverMqttTests : IAsyncLifetime
{
    private readonly ManualTimeProvider time = new(DateTimeOffset.UtcNow);
    private MosquittoServer broker = null!;
    private AnalyticsHost host = null!;
    private IMqttClient device = null!;

    public async Task InitializeAsync()
    {
        broker = await MosquittoServer.StartAsync();
        device = new MqttClientFactory().CreateMqttClient();
        await device.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("publisher").Build());

        // A rejection retained before analytics starts: it must be seen at subscription.
        await PublishAsync("_iot/rejections/t2", """{"device":"t2","rejections":[{"at":"2026-01-01T00:00:00Z","reason":"malformed JSON","payload":"{oops"}]}""", retain: true);

        host = await AnalyticsHost.StartAsync(time, new Dictionary<string, string?>
        {
            ["Analytics:Mqtt:Enabled"] = "true",
            ["Analytics:Mqtt:Host"] = "127.0.0.1",
            ["Analytics:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        var inventory = host.Get<DeviceInventory>();
        inventory.Put(Resources.Room("lab-1"));
        inventory.Put(Resources.Device("t1", "lab-1"));
        inventory.Put(Resources.Device("t2", "lab-1"));
        await Eventually.TrueAsync(() => host.Get<AnalyticsMqttConnection>().IsConnected, "analytics is connected and subscribed");
    }

    public async Task DisposeAsync()
    {
        device.Dispose();
        await host.DisposeAsync();
        await broker.DisposeAsync();
    }

    [Fact]
    public async Task Room_metrics_follow_telemetry_published_by_devices()
    {
        using var counted = new TelemetryCounter(host.Get<IMeterFactory>());
        await PublishAsync("devices/t1/telemetry", """{"device_id":"t1","timestamp":"2026-01-01T00:00:00Z","data":{"temperature":20.5,"watts":100}}""");
        await PublishAsync("devices/t2/telemetry", """{"temperature":23.5,"watts":50,"ts":1767225600000}""");
        await PublishAsync("devices/t2/telemetry", "{not json");

        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/rooms/lab-1/metrics"))["online"]!.GetValue<int>() == 2, "both devices are online");
        var metrics = (await host.GetJsonAsync("/rooms/lab-1/metrics"))["metrics"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(), m => m!["value"]!.GetValue<double>());
        Assert.Equal(22.0, metrics["temperature"]);
        Assert.Equal(150.0, metrics["power"]);

        var summary = await host.GetJsonAsync("/analytics/summary");
        Assert.Equal(2, summary["devices"]!["online"]!.GetValue<int>());
        Assert.Equal(2, summary["messagesPerMinute"]!.GetValue<int>());
        await Eventually.TrueAsync(() => counted.Of("malformed") == 1, "the malformed message was counted");
        Assert.Equal(2, counted.Of("accepted"));
    }

    [Fact]
    public async Task Rejections_published_by_ingest_are_served_newest_first_and_cleared_by_an_empty_message()
    {
        // Retained before analytics subscribed: delivered just after the subscription, not necessarily before this test reads.
        var first = await Eventually.ValueAsync(
            async () => (await host.GetJsonAsync("/sensors/t2/rejections"))["rejections"]!.AsArray() is { Count: > 0 } list ? list : null,
            "the rejection retained before analytics started arrived");
        Assert.Equal("malformed JSON", Assert.Single(first)!["reason"]!.GetValue<string>());

        await PublishAsync("_iot/rejections/t1", """
            {"device":"t1","rejections":[
              {"at":"2026-01-01T00:00:00Z","reason":"out of range","field":"temperature","payload":"{\"temperature\":900}"},
              {"at":"2026-01-01T00:05:00Z","reason":"unknown field","field":"humidity","payload":"{\"humidity\":3}"}]}
            """, retain: true);
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/sensors/t1/rejections"))["rejections"]!.AsArray().Count == 2, "t1's rejections arrived");
        var t1 = (await host.GetJsonAsync("/sensors/t1/rejections"))["rejections"]!.AsArray();
        Assert.Equal(["unknown field", "out of range"], t1.Select(r => r!["reason"]!.GetValue<string>()));
        Assert.Equal("{\"temperature\":900}", t1[1]!["payload"]!.GetValue<string>());

        await PublishAsync("_iot/rejections/t2", "", retain: true);
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/sensors/t2/rejections"))["rejections"]!.AsArray().Count == 0, "t2's rejections were cleared");
    }

    [Fact]
    public async Task Active_alerts_are_those_fired_and_not_yet_resolved_in_this_namespace()
    {
        var start = DateTimeOffset.UtcNow;
        await PublishAsync(AlertEvent.TopicOf("hot", "t1"), Alert("hot", "t1", AlertStatus.Firing, start));
        await PublishAsync(AlertEvent.TopicOf("hot", "t1"), Alert("hot", "t1", AlertStatus.Firing, start)); // a QoS 1 duplicate
        await PublishAsync(AlertEvent.TopicOf("hot", "t2"), Alert("hot", "t2", AlertStatus.Firing, start));
        await PublishAsync(AlertEvent.TopicOf("cold", "t1"), Alert("cold", "t1", AlertStatus.Firing, start, ns: "other"));
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/analytics/summary"))["activeAlerts"]!.GetValue<int>() == 2, "two alerts are active");

        await PublishAsync(AlertEvent.TopicOf("hot", "t2"), Alert("hot", "t2", AlertStatus.Resolved, start));
        await Eventually.TrueAsync(async () => (await host.GetJsonAsync("/analytics/summary"))["activeAlerts"]!.GetValue<int>() == 1, "one alert resolved");

        var fired = await host.Get<Alerts.IActiveAlertSource>().CountFiredByRoomAsync(start.AddMinutes(-1), start.AddMinutes(1));
        Assert.Equal(2, fired["lab-1"]);
    }

    [Fact]
    public async Task Analytics_is_ready_once_connected_with_its_inventory_synced()
    {
        var report = await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(c => c.Tags.Contains("ready"));

        Assert.Equal(HealthStatus.Healthy, report.Status);
        Assert.Contains(AnalyticsServiceCollectionExtensions.ReadinessCheck, report.Entries.Keys);
    }

    // iot_analytics_telemetry_messages_total of this host's meter, by result.
    private sealed class TelemetryCounter : IDisposable
    {
        private readonly MeterListener listener = new();
        private readonly ConcurrentDictionary<string, long> counts = new();

        public TelemetryCounter(IMeterFactory factory)
        {
            listener.InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Name == "iot_analytics_telemetry_messages_total" && ReferenceEquals(instrument.Meter.Scope, factory))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            };
            listener.SetMeasurementEventCallback<long>((_, value, tags, _) => counts.AddOrUpdate((string)tags[0].Value!, value, (_, old) => old + value));
            listener.Start();
        }

        public long Of(string result) => counts.GetValueOrDefault(result);

        public void Dispose() => listener.Dispose();
    }

    private static string Alert(string rule, string device, AlertStatus status, DateTimeOffset startsAt, string ns = AnalyticsHost.Namespace) => Encoding.UTF8.GetString(new AlertEvent
    {
        Fingerprint = AlertEvent.FingerprintOf(ns, rule, device),
        Status = status,
        Namespace = ns,
        Rule = rule,
        Device = device,
        Room = "lab-1",
        StartsAt = startsAt,
        EndsAt = status == AlertStatus.Resolved ? startsAt.AddMinutes(1) : null,
    }.ToJson());

    private Task PublishAsync(string topic, string payload, bool retain = false) => device.PublishAsync(
        new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithRetainFlag(retain).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
}
