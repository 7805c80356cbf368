using System.Buffers;
using System.Collections.Concurrent;
using System.Text;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Protocol;

namespace Iot.Ingest.Tests.Support;

/// <summary>A message a test client received.</summary>
public sealed record ReceivedMessage(string Topic, string Payload, MqttQualityOfServiceLevel QualityOfService, bool Retain, IReadOnlyDictionary<string, string> UserProperties);

/// <summary>An MQTT 5 client for tests: plays a device (publishes telemetry) or a consumer (collects what it receives).</summary>
public sealed class MqttTestClient : IAsyncDisposable
{
    private readonly IMqttClient client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<ReceivedMessage> received = new();

    private MqttTestClient()
    {
        client.ApplicationMessageReceivedAsync += e =>
        {
            var message = e.ApplicationMessage;
            var properties = (message.UserProperties ?? []).ToDictionary(p => p.Name, p => p.ReadValueAsString());
            received.Enqueue(new ReceivedMessage(message.Topic, Encoding.UTF8.GetString(message.Payload.ToArray()), message.QualityOfServiceLevel, message.Retain, properties));
            return Task.CompletedTask;
        };
    }

    public IReadOnlyList<ReceivedMessage> Received => [.. received];

    /// <summary>Connects to 127.0.0.1:<paramref name="port"/> and subscribes to <paramref name="filters"/> at QoS 1.</summary>
    public static async Task<MqttTestClient> ConnectAsync(int port, params string[] filters)
    {
        var test = new MqttTestClient();
        await test.client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port)
            .WithClientId("test-" + Guid.NewGuid().ToString("N"))
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .Build());
        foreach (var filter in filters)
        {
            await test.client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter(f => f.WithTopic(filter).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce))
                .Build());
        }

        return test;
    }

    /// <summary>Publishes at QoS 1 and waits for the broker's acknowledgement.</summary>
    public async Task PublishAsync(string topic, string payload)
    {
        var result = await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build());
        Assert.True(result.IsSuccess, $"the broker refused the message on {topic}: {result.ReasonCode}");
    }

    /// <summary>Publishes telemetry of <paramref name="device"/> on its topic.</summary>
    public Task PublishTelemetryAsync(string device, string payload) => PublishAsync($"devices/{device}/telemetry", payload);

    /// <summary>Waits until a message on <paramref name="topic"/> satisfies <paramref name="condition"/>; returns the first that does.</summary>
    public async Task<ReceivedMessage> WaitForAsync(string topic, Func<ReceivedMessage, bool>? condition = null)
    {
        ReceivedMessage? found = null;
        await Eventually.TrueAsync(() => (found = received.FirstOrDefault(m => m.Topic == topic && (condition?.Invoke(m) ?? true))) is not null, $"a message arrives on {topic}");
        return found!;
    }

    public async ValueTask DisposeAsync()
    {
        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }

        client.Dispose();
    }
}
