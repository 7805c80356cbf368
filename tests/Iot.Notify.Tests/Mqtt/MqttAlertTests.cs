using System.Buffers;
using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

using Iot.Api.AlertRoutes;
using Iot.Api.Alerts;
using Iot.Notify.Mqtt;
using Iot.Notify.Routes;
using Iot.Notify.Tests.Support;
using Iot.Storage.Events;

using Microsoft.Extensions.DependencyInjection;

using MQTTnet;
using MQTTnet.Protocol;

using static Iot.Notify.Tests.Support.TestRoutes;

namespace Iot.Notify.Tests.Mqtt;

/// <summary>notify against a real Mosquitto: alert input, the MQTT receiver, the persistent session, the WebSocket stream.</summary>
public sealed class MqttAlertTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private readonly ManualTimeProvider time = new();
    private readonly string clientId = "notify-" + Guid.NewGuid().ToString("N")[..8];
    private MosquittoBroker broker = null!;
    private HttpTarget target = null!;
    private IMqttClient client = null!;
    private InMemoryRouteSource routes = null!;

    public async Task InitializeAsync()
    {
        broker = await MosquittoBroker.StartAsync();
        target = await HttpTarget.StartAsync();
        routes = new InMemoryRouteSource(Route("ops", groupWait: "0s", receivers: [Webhook("ops-hook", target.Url), new Receiver { Name = "ops-bus", Mqtt = new MqttReceiver { Topic = "alerts/ops" } }]));
        client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("test-" + clientId).Build());
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await target.DisposeAsync();
        await broker.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task An_alert_published_on_the_bus_reaches_the_webhook_and_the_mqtt_receiver_publishes_the_notification()
    {
        var published = new ConcurrentQueue<string>();
        client.ApplicationMessageReceivedAsync += e =>
        {
            published.Enqueue(Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray()));
            return Task.CompletedTask;
        };
        await client.SubscribeAsync("alerts/ops", MqttQualityOfServiceLevel.AtLeastOnce);
        await using var host = await StartAsync();

        var alert = Firing("overheat", "thermo-1", "lab-1");
        await Publish(AlertEvent.TopicOf(alert.Rule, alert.Device), alert.ToJson());

        await Eventually.TrueAsync(() => target.Accepted.Count() == 1 && !published.IsEmpty, "both receivers got the notification");
        using var body = JsonDocument.Parse(published.Single());
        Assert.Equal(("ops-bus", alert.Fingerprint), (body.RootElement.GetProperty("receiver").GetString(), body.RootElement.GetProperty("alerts")[0].GetProperty("fingerprint").GetString()));
        Assert.Equal("firing", (await host.Store.GetAlertAsync(alert.Fingerprint))!.Status);
    }

    [Fact]
    public async Task The_trace_started_by_the_publisher_continues_in_notify()
    {
        var traceId = System.Diagnostics.ActivityTraceId.CreateRandom();
        var seen = new ConcurrentQueue<System.Diagnostics.Activity>();
        using var listener = new System.Diagnostics.ActivityListener
        {
            ShouldListenTo = source => source.Name == NotifyTracing.SourceName,
            Sample = (ref System.Diagnostics.ActivityCreationOptions<System.Diagnostics.ActivityContext> _) => System.Diagnostics.ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = seen.Enqueue,
        };
        System.Diagnostics.ActivitySource.AddActivityListener(listener);
        await using var host = await StartAsync();

        var alert = Firing("overheat", "thermo-7");
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(AlertEvent.TopicOf(alert.Rule, alert.Device)).WithPayload(alert.ToJson())
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithUserProperty("traceparent", new ReadOnlyMemory<byte>(Encoding.UTF8.GetBytes($"00-{traceId}-{System.Diagnostics.ActivitySpanId.CreateRandom()}-01"))).Build());

        await Eventually.TrueAsync(() => seen.Any(a => a.TraceId == traceId), "notify's span joined the publisher's trace");
    }

    [Fact]
    public async Task A_malformed_alert_event_is_counted_recorded_and_ignored_and_the_next_one_is_handled()
    {
        await using var host = await StartAsync();
        var results = new ConcurrentQueue<string>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == host.Metrics.Meter && instrument.Name == "iot_notify_alert_events_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) => results.Enqueue((string)tags.ToArray().Single(t => t.Key == "result").Value!));
        listener.Start();

        await Publish("_iot/alerts/overheat/thermo-1", Encoding.UTF8.GetBytes("{\"fingerprint\": 42"));
        await Publish("_iot/alerts/overheat/thermo-1", Encoding.UTF8.GetBytes("{\"status\": \"firing\"}"));
        var alert = Firing("overheat", "thermo-1");
        await Publish(AlertEvent.TopicOf(alert.Rule, alert.Device), alert.ToJson());

        await Eventually.TrueAsync(() => target.Accepted.Count() == 1, "the valid alert is notified");
        Assert.Equal(["accepted", "malformed", "malformed"], results.Order());
        var rejected = (await host.Store.QueryEventsAsync(new EventQuery { Type = "alert.rejected" })).Events;
        Assert.Equal(2, rejected.Count);
        Assert.All(rejected, e => Assert.StartsWith("malformed alert event on _iot/alerts/overheat/thermo-1: ", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Alerts_published_while_notify_is_stopped_are_handled_after_it_starts_again()
    {
        await (await StartAsync()).DisposeAsync(); // the first start creates the persistent session

        var alert = Firing("overheat", "thermo-9");
        await Publish(AlertEvent.TopicOf(alert.Rule, alert.Device), alert.ToJson());
        await using var host = await StartAsync();

        await Eventually.TrueAsync(() => target.Accepted.Count() == 1, "the alert queued by the broker is notified");
        Assert.Contains(alert.Fingerprint, target.Accepted.Single().Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_websocket_client_receives_firing_and_resolved_events_live()
    {
        await using var host = await StartAsync();
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + NotifyHost.Token);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Url.Port}/ws/notifications"), CancellationToken.None);
        await Eventually.TrueAsync(() => host.Services.GetRequiredService<Iot.Notify.Streaming.AlertStream>().Subscribers == 1, "the client is subscribed");

        var alert = Firing("overheat", "thermo-1", "lab-1");
        await Publish(AlertEvent.TopicOf(alert.Rule, alert.Device), alert.ToJson());
        var firing = AlertEvent.Parse(await ReceiveAsync(socket));
        await Publish(AlertEvent.TopicOf(alert.Rule, alert.Device), Resolved(alert, alert.StartsAt.AddMinutes(3)).ToJson());
        var resolved = AlertEvent.Parse(await ReceiveAsync(socket));

        Assert.Equal((alert.Fingerprint, AlertStatus.Firing), (firing.Fingerprint, firing.Status));
        Assert.Equal((alert.Fingerprint, AlertStatus.Resolved, alert.StartsAt.AddMinutes(3)), (resolved.Fingerprint, resolved.Status, resolved.EndsAt));
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
    }

    [Fact]
    public async Task A_websocket_client_without_the_token_is_refused()
    {
        await using var host = await StartAsync();
        using var socket = new ClientWebSocket();

        var error = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(new Uri($"ws://127.0.0.1:{host.Url.Port}/ws/notifications"), CancellationToken.None));

        Assert.Contains("401", error.Message, StringComparison.Ordinal);
    }

    private async Task<NotifyHost> StartAsync()
    {
        var host = await NotifyHost.StartAsync(routes, time, new Dictionary<string, string?>
        {
            ["Notify:Store:Provider"] = "sqlite",
            ["Notify:Store:Path"] = Path.Combine(directory.Path, "notify.db"),
            ["Notify:Mqtt:Host"] = "127.0.0.1",
            ["Notify:Mqtt:Port"] = broker.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Notify:Mqtt:ClientId"] = clientId,
        });
        await Eventually.TrueAsync(() => host.Services.GetRequiredService<MqttConnection>().IsConnected, "notify is subscribed to alerts");
        return host;
    }

    private Task Publish(string topic, byte[] payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

    private static async Task<byte[]> ReceiveAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new ArrayBufferWriter<byte>();
        ValueWebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer.GetMemory(4096), timeout.Token);
            buffer.Advance(result.Count);
        }
        while (!result.EndOfMessage);
        return buffer.WrittenSpan.ToArray();
    }
}
