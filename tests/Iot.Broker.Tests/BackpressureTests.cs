using System.Globalization;

using Iot.Broker.Tests.Support;

using MQTTnet;
using MQTTnet.Protocol;

using static Iot.Broker.Tests.Support.MosquittoClients;

namespace Iot.Broker.Tests;

/// <summary>A subscriber that stops reading: QoS 1 publishers are held back and nothing acknowledged is lost; QoS 0 beyond the bound is dropped and counted.</summary>
public sealed class BackpressureTests
{
    [Fact]
    public async Task A_stalled_subscriber_holds_back_qos1_publishers_and_loses_nothing()
    {
        await using var broker = await TestBroker.StartAsync(o => o.MaxQueuedMessagesPerClient = 10);
        const int messages = 400; // 25 MiB: far more than the socket buffers of a subscriber that stopped reading hold
        await using var subscriber = SubscribeFormatted(broker.Port, "MSG %t %l", "-i", "slow", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-t", "bulk/#");
        await subscriber.WaitForSubscribedAsync();
        subscriber.Signal("STOP");

        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("fast").WithCredentials("iot-internal", TestBroker.InternalPassword).Build());
        var payload = new byte[64 * 1024];
        var acknowledged = 0;
        var publishing = Task.Run(async () =>
        {
            for (var i = 0; i < messages; i++)
            {
                var message = new MqttApplicationMessageBuilder().WithTopic($"bulk/{i.ToString(CultureInfo.InvariantCulture)}").WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
                await publisher.PublishAsync(message);
                Interlocked.Increment(ref acknowledged);
            }
        });

        await Eventually(() => broker.Counter("iot_broker_backpressure_waits_total") > 0, "the publisher is held back");
        Assert.True(Volatile.Read(ref acknowledged) < messages, "publishes wait while the subscriber is stalled");

        subscriber.Signal("CONT");
        await publishing.WaitAsync(TimeSpan.FromSeconds(30));
        await subscriber.WaitForMessagesAsync(messages);

        Assert.Equal(messages, subscriber.Messages.Distinct().Count());
        Assert.Equal(0, broker.Counter("iot_broker_messages_dropped_total"));
        Assert.Equal(0, broker.Counter("iot_broker_queue_overflows_total"));
    }

    [Fact]
    public async Task Qos0_messages_beyond_the_queue_bound_of_a_stalled_subscriber_are_dropped_and_counted_and_delivery_resumes()
    {
        await using var broker = await TestBroker.StartAsync(o => o.MaxQueuedMessagesPerClient = 10);
        const int messages = 400; // 25 MiB: far more than the socket buffers of a subscriber that stopped reading hold
        await using var subscriber = SubscribeFormatted(broker.Port, "MSG %t %l", "-i", "slow", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "0", "-t", "bulk/#");
        await subscriber.WaitForSubscribedAsync();
        subscriber.Signal("STOP");

        using var publisher = new MqttClientFactory().CreateMqttClient();
        await publisher.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port).WithClientId("fast").WithCredentials("iot-internal", TestBroker.InternalPassword).Build());
        var payload = new byte[64 * 1024];
        for (var i = 0; i < messages; i++)
        {
            await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"bulk/{i.ToString(CultureInfo.InvariantCulture)}").WithPayload(payload).Build());
        }

        await Eventually(() => broker.Counter("iot_broker_messages_received_total") == messages, "the broker has read every publish");
        Assert.True(broker.Counter("iot_broker_messages_dropped_total", "reason=queue_full") > 0, "a full queue drops QoS 0");

        // Every message is either delivered or counted as dropped; then the drained queue takes messages again.
        subscriber.Signal("CONT");
        await Eventually(() => subscriber.Messages.Count + broker.Counter("iot_broker_messages_dropped_total", "reason=queue_full") == messages, "what was not dropped is delivered");
        await publisher.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("bulk/after").WithPayload(payload).Build());
        await Eventually(() => subscriber.Messages.Any(m => m.StartsWith("bulk/after ", StringComparison.Ordinal)), "a message after the drain is delivered");
    }

    private static async Task Eventually(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {because}");
            await Task.Delay(10);
        }
    }
}
