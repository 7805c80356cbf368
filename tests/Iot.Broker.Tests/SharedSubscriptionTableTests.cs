using Iot.Broker.SharedSubscriptions;

using MQTTnet;

namespace Iot.Broker.Tests;

public sealed class SharedSubscriptionTableTests
{
    private static readonly SharedFilter Ingest = new("ingest", "devices/+/telemetry");

    [Fact]
    public void Shared_filters_parse_into_group_and_filter_and_malformed_ones_do_not()
    {
        Assert.True(SharedFilter.TryParse("$share/ingest/devices/+/telemetry", out var parsed));
        Assert.Equal(Ingest, parsed);
        Assert.False(SharedFilter.TryParse("devices/+/telemetry", out _));
        Assert.False(SharedFilter.TryParse("$share/ingest", out _));
        Assert.False(SharedFilter.TryParse("$share//devices/#", out _));
        Assert.False(SharedFilter.TryParse("$share/in+gest/devices/#", out _));
    }

    [Fact]
    public void When_a_member_leaves_only_its_topics_move()
    {
        var table = new SharedSubscriptionTable(SharedSubscriptionDispatch.TopicHash);
        foreach (var member in new[] { "a", "b", "c", "d" })
        {
            table.Join(member, Ingest);
        }

        var topics = Enumerable.Range(0, 200).Select(i => $"devices/d{i}/telemetry").ToList();
        var before = topics.ToDictionary(t => t, t => Receiver(t, ["a", "b", "c", "d"]));

        table.Leave("c", Ingest);
        var after = topics.ToDictionary(t => t, t => Receiver(t, ["a", "b", "d"])); // MQTTnet asks only current subscribers

        Assert.All(topics.Where(t => before[t] != "c"), t => Assert.Equal(before[t], after[t]));
        Assert.All(topics.Where(t => before[t] == "c"), t => Assert.NotEqual("c", after[t]));
        Assert.All(new[] { "a", "b", "c", "d" }, m => Assert.Contains(m, before.Values));

        string Receiver(string topic, string[] subscribers)
        {
            var message = new MqttApplicationMessage { Topic = topic };
            return Assert.Single(subscribers, m => table.ShouldDeliver(m, message));
        }
    }

    [Fact]
    public void Disconnected_members_receive_nothing_while_another_member_is_connected()
    {
        var table = new SharedSubscriptionTable(SharedSubscriptionDispatch.TopicHash);
        table.Join("a", Ingest);
        table.Join("b", Ingest);
        table.SetConnected("a", false);

        var messages = Enumerable.Range(0, 50).Select(i => new MqttApplicationMessage { Topic = $"devices/d{i}/telemetry" }).ToList();

        Assert.All(messages, m => Assert.True(table.ShouldDeliver("b", m)));
        Assert.All(messages, m => Assert.False(table.ShouldDeliver("a", m)));
    }
}
