using Iot.Broker.Tests.Support;

using static Iot.Broker.Tests.Support.MosquittoClients;

namespace Iot.Broker.Tests;

/// <summary>Shared subscriptions ($share/group/filter), which MQTTnet.Server refuses and our broker implements.</summary>
public sealed class SharedSubscriptionTests
{
    [Fact]
    public async Task Dispatch_by_topic_hash_keeps_each_device_on_one_member_and_delivers_each_message_once()
    {
        await using var broker = await TestBroker.StartAsync();
        var members = await StartMembersAsync(broker, 4);
        try
        {
            var devices = Enumerable.Range(1, 20).Select(i => $"sensor-{i:00}").ToList();
            foreach (var device in devices)
            {
                var password = broker.AddDevice(device);
                var (exit, output) = await PublishAsync(broker.Port, "-i", device, "-u", device, "-P", password, "-q", "1",
                    "-t", $"devices/{device}/telemetry", "-m", "reading", "--repeat", "5");
                Assert.True(exit == 0, output);
            }

            await WaitForTotalAsync(members, 100);
            Assert.Equal(100, members.Sum(m => m.Messages.Count));
            foreach (var device in devices)
            {
                var receivers = members.Where(m => m.Messages.Any(line => line.StartsWith($"devices/{device}/", StringComparison.Ordinal))).ToList();
                Assert.Single(receivers);
                Assert.Equal(5, receivers[0].Messages.Count(line => line.StartsWith($"devices/{device}/", StringComparison.Ordinal)));
            }

            Assert.True(members.Count(m => m.Messages.Count > 0) > 1, "the group spreads devices over its members");
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Round_robin_dispatch_takes_members_in_turn()
    {
        await using var broker = await TestBroker.StartAsync(o => o.SharedSubscriptionDispatch = SharedSubscriptionDispatch.RoundRobin);
        var members = await StartMembersAsync(broker, 4);
        try
        {
            var password = broker.AddDevice("sensor-01");
            var (exit, output) = await PublishAsync(broker.Port, "-i", "sensor-01", "-u", "sensor-01", "-P", password, "-q", "1",
                "-t", "devices/sensor-01/telemetry", "-m", "reading", "--repeat", "8");
            Assert.True(exit == 0, output);

            await WaitForTotalAsync(members, 8);
            Assert.All(members, m => Assert.Equal(2, m.Messages.Count));
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task A_plain_subscriber_still_receives_everything_beside_a_group()
    {
        await using var broker = await TestBroker.StartAsync();
        var members = await StartMembersAsync(broker, 2);
        await using var plain = Subscribe(broker.Port, "-i", "archive", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-t", "devices/+/telemetry");
        await plain.WaitForSubscribedAsync();
        try
        {
            var password = broker.AddDevice("sensor-01");
            await PublishAsync(broker.Port, "-i", "sensor-01", "-u", "sensor-01", "-P", password, "-q", "1", "-t", "devices/sensor-01/telemetry", "-m", "reading", "--repeat", "3");

            await plain.WaitForMessagesAsync(3);
            await WaitForTotalAsync(members, 3);
            Assert.Equal(3, members.Sum(m => m.Messages.Count));
        }
        finally
        {
            foreach (var member in members)
            {
                await member.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task The_connack_says_shared_subscriptions_are_available()
    {
        await using var broker = await TestBroker.StartAsync();
        using var client = new MQTTnet.MqttClientFactory().CreateMqttClient();

        var result = await client.ConnectAsync(new MQTTnet.MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", broker.Port)
            .WithCredentials("iot-internal", TestBroker.InternalPassword).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());

        Assert.True(result.SharedSubscriptionAvailable);
    }

    private static async Task<List<Subscriber>> StartMembersAsync(TestBroker broker, int count)
    {
        var members = new List<Subscriber>();
        for (var i = 0; i < count; i++)
        {
            var member = Subscribe(broker.Port, "-i", $"ingest-{i}", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-V", "5",
                "-t", "$share/ingest/devices/+/telemetry");
            members.Add(member);
            await member.WaitForSubscribedAsync();
        }

        return members;
    }

    private static async Task WaitForTotalAsync(List<Subscriber> members, int total)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (members.Sum(m => m.Messages.Count) < total)
        {
            Assert.True(DateTime.UtcNow < deadline, $"the group received {members.Sum(m => m.Messages.Count)} of {total} messages");
            await Task.Delay(10);
        }
    }
}
