using Iot.Kube.Tests.Leadership;

using k8s;
using k8s.Models;

namespace Iot.Kube.Tests.Events;

public sealed class EventRecorderTests
{
    private static readonly EventRecorderOptions Options = new() { Component = "iot-operator", Instance = "op-0" };

    private readonly ManualTimeProvider time = new();

    [Fact]
    public async Task An_event_names_its_involved_object_and_reporter()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        var configMap = await CreateConfigMapAsync(client);
        await using var recorder = new EventRecorder(client, Options, time);

        recorder.Warning(configMap, "Invalid", "data.mode is not set");
        await recorder.FlushAsync();

        var @event = Assert.Single((await client.CoreV1.ListNamespacedEventAsync("events")).Items);
        Assert.Equal(
            ("v1", "ConfigMap", "settings", "events", configMap.Metadata.Uid),
            (@event.InvolvedObject.ApiVersion, @event.InvolvedObject.Kind, @event.InvolvedObject.Name, @event.InvolvedObject.NamespaceProperty, @event.InvolvedObject.Uid));
        Assert.Equal((EventTypes.Warning, "Invalid", "data.mode is not set", 1), (@event.Type, @event.Reason, @event.Message, @event.Count!.Value));
        Assert.Equal(("iot-operator", "op-0", "iot-operator", "op-0"), (@event.Source.Component, @event.Source.Host, @event.ReportingComponent, @event.ReportingInstance));
        Assert.Equal(time.GetUtcNow().UtcDateTime, @event.FirstTimestamp);
        Assert.StartsWith("settings.", @event.Metadata.Name, StringComparison.Ordinal);
        Assert.Equal(0, recorder.Failed);
    }

    [Fact]
    public async Task Identical_events_are_aggregated_into_one_with_a_count()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        var configMap = await CreateConfigMapAsync(client);
        await using var recorder = new EventRecorder(client, Options, time);
        var first = time.GetUtcNow().UtcDateTime;
        cluster.RequestLog.Clear();

        for (var i = 0; i < 3; i++)
        {
            recorder.Normal(configMap, "Synced", "applied");
            time.Advance(TimeSpan.FromSeconds(1));
        }

        recorder.Normal(configMap, "Synced", "applied differently");
        await recorder.FlushAsync();
        var writes = cluster.RequestLog.Requests.Where(r => r.Resource == "events").Select(r => r.Verb).ToList();

        var events = (await client.CoreV1.ListNamespacedEventAsync("events")).Items;
        Assert.Equal(2, events.Count);
        var repeated = Assert.Single(events, e => e.Message == "applied");
        Assert.Equal(3, repeated.Count);
        Assert.Equal(first, repeated.FirstTimestamp);
        Assert.Equal(first + TimeSpan.FromSeconds(2), repeated.LastTimestamp);
        Assert.Equal(1, Assert.Single(events, e => e.Message == "applied differently").Count);
        Assert.Equal(["create", "patch", "patch", "create"], writes);
    }

    [Fact]
    public async Task A_repeat_after_the_aggregation_window_creates_a_new_event()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        var configMap = await CreateConfigMapAsync(client);
        await using var recorder = new EventRecorder(client, Options with { AggregationWindow = TimeSpan.FromMinutes(1) }, time);

        recorder.Normal(configMap, "Synced", "applied");
        time.Advance(TimeSpan.FromMinutes(2));
        recorder.Normal(configMap, "Synced", "applied");
        await recorder.FlushAsync();

        var events = (await client.CoreV1.ListNamespacedEventAsync("events")).Items;
        Assert.Equal(2, events.Count);
        Assert.All(events, e => Assert.Equal(1, e.Count));
    }

    [Fact]
    public async Task A_deleted_event_is_created_again_on_the_next_repeat()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        var configMap = await CreateConfigMapAsync(client);
        await using var recorder = new EventRecorder(client, Options, time);

        recorder.Normal(configMap, "Synced", "applied");
        await recorder.FlushAsync();
        var first = Assert.Single((await client.CoreV1.ListNamespacedEventAsync("events")).Items);
        await client.CoreV1.DeleteNamespacedEventAsync(first.Metadata.Name, "events");
        recorder.Normal(configMap, "Synced", "applied");
        await recorder.FlushAsync();

        var again = Assert.Single((await client.CoreV1.ListNamespacedEventAsync("events")).Items);
        Assert.Equal(1, again.Count);
        Assert.Equal(0, recorder.Failed);
    }

    [Fact]
    public async Task Recording_neither_blocks_nor_throws_when_the_API_server_is_down()
    {
        var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        var configMap = await CreateConfigMapAsync(client);
        await cluster.DisposeAsync();
        await using var recorder = new EventRecorder(client, Options, time);

        // Recording only queues (the blocking-sink test below proves it returns while the sink is stuck).
        for (var i = 0; i < 20; i++)
        {
            recorder.Warning(configMap, "Unreachable", $"attempt {i}");
        }

        await recorder.FlushAsync().WaitAsync(Poll.Timeout);

        Assert.Equal(20, recorder.Failed);
        Assert.Equal(0, recorder.Dropped);
    }

    [Fact]
    public async Task When_the_queue_is_full_events_are_dropped_and_counted()
    {
        var sink = new BlockingSink();
        var recorder = new EventRecorder(sink, Options with { Capacity = 2 }, time);
        var configMap = new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "settings", NamespaceProperty = "events" } };

        recorder.Normal(configMap, "Step", "0");
        await sink.Entered.Task.WaitAsync(Poll.Timeout);
        for (var i = 1; i <= 5; i++)
        {
            recorder.Normal(configMap, "Step", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(3, recorder.Dropped);
        sink.Release.SetResult();
        await recorder.FlushAsync().WaitAsync(Poll.Timeout);
        Assert.Equal(["0", "1", "2"], sink.Created.Select(e => e.Message));

        await recorder.DisposeAsync();
        recorder.Normal(configMap, "Step", "after disposal");
        Assert.Equal(4, recorder.Dropped);
    }

    [Fact]
    public async Task Disposal_writes_the_queued_events()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        var configMap = await CreateConfigMapAsync(client);
        var recorder = new EventRecorder(client, Options, time);

        for (var i = 0; i < 10; i++)
        {
            recorder.Normal(configMap, "Step", $"step {i}");
        }

        await recorder.DisposeAsync();

        Assert.Equal(10, (await client.CoreV1.ListNamespacedEventAsync("events")).Items.Count);
    }

    private static async Task<V1ConfigMap> CreateConfigMapAsync(IKubernetes client)
    {
        await Poll.CreateNamespaceAsync(client, "events");
        var created = await client.CoreV1.CreateNamespacedConfigMapAsync(
            new V1ConfigMap { ApiVersion = "v1", Kind = "ConfigMap", Metadata = new V1ObjectMeta { Name = "settings" } },
            "events");
        created.ApiVersion ??= "v1";
        created.Kind ??= "ConfigMap";
        return created;
    }

    private sealed class BlockingSink : IEventSink
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public List<Corev1Event> Created { get; } = [];

        public async Task CreateAsync(Corev1Event @event, CancellationToken cancellationToken)
        {
            Entered.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            lock (Created)
            {
                Created.Add(@event);
            }
        }

        public Task<bool> UpdateCountAsync(string @namespace, string name, int count, DateTime lastTimestamp, CancellationToken cancellationToken) =>
            Task.FromResult(true);
    }
}
