using System.Text;

using Iot.Broker.Tests.Support;

using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

using static Iot.Broker.Tests.Support.MosquittoClients;

namespace Iot.Broker.Tests;

public sealed class PersistentSessionTests
{
    [Fact]
    public async Task A_workload_with_a_persistent_session_gets_the_qos1_messages_published_while_it_was_away()
    {
        await using var broker = await TestBroker.StartAsync();
        var received = new List<string>();
        using (var first = await ConnectNotifyAsync(broker, received))
        {
            await first.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("_iot/alerts/#", MqttQualityOfServiceLevel.AtLeastOnce).Build());
            await first.DisconnectAsync();
        }

        for (var i = 1; i <= 3; i++)
        {
            var (exit, output) = await PublishAsync(broker.Port, "-V", "5", "-i", "ingest", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-t", "_iot/alerts/too-hot/thermo-1", "-m", $"alert-{i}");
            Assert.True(exit == 0, output);
        }

        using var again = await ConnectNotifyAsync(broker, received);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (Count(received) < 3)
        {
            Assert.True(DateTime.UtcNow < deadline, $"received {Count(received)} of 3");
            await Task.Delay(10);
        }

        lock (received)
        {
            Assert.Equal(["alert-1", "alert-2", "alert-3"], received);
        }
    }

    private static int Count(List<string> received)
    {
        lock (received)
        {
            return received.Count;
        }
    }

    private static async Task<IMqttClient> ConnectNotifyAsync(TestBroker broker, List<string> received)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            lock (received)
            {
                received.Add(Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            }

            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", broker.Port)
            .WithClientId("notify")
            .WithCredentials("iot-internal", TestBroker.InternalPassword)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(3600)
            .Build());
        return client;
    }
}
