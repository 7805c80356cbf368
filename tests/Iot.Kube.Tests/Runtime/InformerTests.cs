using System.Collections.Concurrent;

using k8s.Models;

using static Iot.Kube.Tests.Runtime.RuntimeTestSupport;

namespace Iot.Kube.Tests.Runtime;

public sealed class InformerTests
{
    [Fact]
    public async Task The_initial_list_fills_the_cache_and_changes_arrive_as_events()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        await configMaps.CreateAsync(ConfigMap("a", new() { ["k"] = "1" }));
        await configMaps.CreateAsync(ConfigMap("b"));

        var informer = new Informer<V1ConfigMap>(configMaps, new ReflectorOptions { Namespace = Namespace });
        var events = new ConcurrentQueue<string>();
        informer.AddEventHandler(Recorder(events));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);

        await informer.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(informer.HasSynced);
        Assert.Equal(["test/a", "test/b"], informer.Keys());
        Assert.Equal(["add test/a", "add test/b"], events.Order());

        var copy = informer.Get("test/a")!;
        copy.Data["k"] = "changed by the caller";
        Assert.Equal("1", informer.Get(Namespace, "a")!.Data["k"]);

        await configMaps.CreateAsync(ConfigMap("c"));
        await client.SetDataAsync("a", "k", "2");
        await configMaps.DeleteAsync("b", Namespace);
        await Eventually(() => events.Count == 5, "the three changes arrived");
        Assert.Equal(["add test/a", "add test/b", "add test/c", "update test/a", "delete test/b"], events);
        Assert.Equal("2", informer.Get("test/a")!.Data["k"]);
        Assert.Null(informer.Get("test/b"));
        Assert.True(informer.WatchAlive);

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(informer.WatchAlive);
    }

    [Fact]
    public async Task After_dropped_watches_the_informer_resumes_from_its_resourceVersion_and_misses_nothing()
    {
        await using var cluster = await StartClusterAsync();
        var gate = new WatchGate();
        using var client = cluster.CreateGatedClient(gate);
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        await configMaps.CreateAsync(ConfigMap("a"));
        await configMaps.CreateAsync(ConfigMap("b"));

        var informer = new Informer<V1ConfigMap>(configMaps, new ReflectorOptions { Namespace = Namespace });
        var events = new ConcurrentQueue<string>();
        informer.AddEventHandler(Recorder(events));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually(() => cluster.OpenWatches == 1, "the first watch is open");

        gate.Close();
        cluster.DropWatches();
        await Eventually(() => gate.Waiting == 1, "the informer tries to watch again");
        await configMaps.CreateAsync(ConfigMap("c"));
        await client.SetDataAsync("a", "k", "v");
        await configMaps.DeleteAsync("b", Namespace);
        gate.Open();

        await Eventually(() => events.Count == 5, "the changes made during the gap arrived");
        Assert.Equal(["add test/a", "add test/b", "add test/c", "update test/a", "delete test/b"], events);
        Assert.Equal(["test/a", "test/c"], informer.Keys());
        Assert.Equal(0, informer.Reflector.Relists);
        Assert.True(informer.Reflector.WatchRestarts >= 1);
        Assert.Equal(1, cluster.RequestLog.Requests.Count(r => r.Verb == "list"));

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task An_expired_resourceVersion_leads_to_a_relist_that_synthesizes_the_deletes_made_during_the_gap()
    {
        await using var cluster = await StartClusterAsync(watchHistorySize: 5);
        var gate = new WatchGate();
        using var client = cluster.CreateGatedClient(gate);
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        await configMaps.CreateAsync(ConfigMap("a"));
        await configMaps.CreateAsync(ConfigMap("b"));

        var informer = new Informer<V1ConfigMap>(configMaps, new ReflectorOptions { Namespace = Namespace });
        var events = new ConcurrentQueue<string>();
        informer.AddEventHandler(Recorder(events));
        using var stop = new CancellationTokenSource();
        var run = informer.RunAsync(stop.Token);
        await informer.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await Eventually(() => cluster.OpenWatches == 1, "the first watch is open");

        gate.Close();
        cluster.DropWatches();
        await Eventually(() => gate.Waiting == 1, "the informer tries to watch again");
        await configMaps.DeleteAsync("b", Namespace);
        await client.SetDataAsync("a", "k", "v");
        for (var i = 0; i < 8; i++)
        {
            await configMaps.CreateAsync(ConfigMap($"new-{i}"));
        }

        gate.Open();
        await Eventually(() => informer.Count == 9 && events.Contains("delete test/b"), "the relist caught up");
        Assert.Equal(1, informer.Reflector.Relists);
        Assert.Contains("update test/a", events);
        Assert.Equal(8, events.Count(e => e.StartsWith("add test/new-", StringComparison.Ordinal)));
        Assert.Equal(2, cluster.RequestLog.Requests.Count(r => r.Verb == "list"));
        Assert.DoesNotContain("test/b", informer.Keys());

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public void The_generation_predicate_ignores_status_only_updates_and_the_label_predicate_filters_by_labels()
    {
        var generation = EventPredicates.GenerationChanged<V1ConfigMap>();
        static V1ConfigMap Object(long? gen, string rv, string? app = null) => new()
        {
            Metadata = new V1ObjectMeta { Name = "x", Generation = gen, ResourceVersion = rv, Labels = app is null ? null : new Dictionary<string, string> { ["app"] = app } },
        };
        Assert.False(generation.Update!(Object(1, "1"), Object(1, "2")));
        Assert.True(generation.Update!(Object(1, "1"), Object(2, "3")));
        Assert.True(generation.Update!(Object(null, "1"), Object(null, "2")));

        var labels = EventPredicates.Labels<V1ConfigMap>(new Dictionary<string, string> { ["app"] = "one" });
        Assert.True(labels.Create!(Object(1, "1", "one")));
        Assert.False(labels.Create!(Object(1, "1", "two")));
        Assert.False(labels.Delete!(Object(1, "1")));
        Assert.True(labels.Update!(Object(1, "1", "one"), Object(1, "2", "two")));
    }

    private static ResourceEventHandler<V1ConfigMap> Recorder(ConcurrentQueue<string> events) => new()
    {
        OnAdd = o => events.Enqueue($"add {ResourceClient<V1ConfigMap>.KeyOf(o)}"),
        OnUpdate = (_, o) => events.Enqueue($"update {ResourceClient<V1ConfigMap>.KeyOf(o)}"),
        OnDelete = o => events.Enqueue($"delete {ResourceClient<V1ConfigMap>.KeyOf(o)}"),
    };
}
