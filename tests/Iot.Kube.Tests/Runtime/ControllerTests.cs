using System.Collections.Concurrent;

using k8s.Models;

using static Iot.Kube.Tests.Runtime.RuntimeTestSupport;

namespace Iot.Kube.Tests.Runtime;

public sealed class ControllerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Creates_updates_and_deletes_are_reconciled_with_the_cached_object_or_null()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        var seen = new ConcurrentQueue<string>();
        var reconciler = new Reconciler((key, cached, _) =>
        {
            seen.Enqueue($"{key}={(cached?.Data is { } data && data.TryGetValue("k", out var v) ? v : null) ?? (cached is null ? "deleted" : "-")}");
            return Task.FromResult(ReconcileResult.Done);
        });
        var controller = new Controller<V1ConfigMap>(client, ConfigMaps, reconciler, new ControllerOptions { Informer = new ReflectorOptions { Namespace = Namespace } });
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await configMaps.CreateAsync(ConfigMap("a"));
        await Eventually(() => seen.Contains("test/a=-"), "the create was reconciled");
        await client.SetDataAsync("a", "k", "1");
        await Eventually(() => seen.Contains("test/a=1"), "the update was reconciled");
        await configMaps.DeleteAsync("a", Namespace);
        await Eventually(() => seen.Contains("test/a=deleted"), "the delete was reconciled");
        Assert.Equal(0, controller.Errors);

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Errors_are_retried_with_backoff_until_success_which_forgets_the_backoff()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        await new ResourceClient<V1ConfigMap>(client, ConfigMaps).CreateAsync(ConfigMap("a"));
        var attempts = 0;
        var succeeded = false;
        var reconciler = new Reconciler((_, _, _) =>
        {
            if (Interlocked.Increment(ref attempts) <= 4)
            {
                throw new InvalidOperationException("not yet");
            }

            Volatile.Write(ref succeeded, true);
            return Task.FromResult(ReconcileResult.Done);
        });
        var logger = new RecordingLogger();
        var controller = new Controller<V1ConfigMap>(client, ConfigMaps, reconciler, new ControllerOptions
        {
            Informer = new ReflectorOptions { Namespace = Namespace },
            Logger = logger,
        });
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually(() => Volatile.Read(ref succeeded), "the fifth attempt succeeded");
        Assert.Equal(4, controller.Errors);
        Assert.Equal(4, logger.Messages.Count(m => m.Contains("reconcile of test/a failed", StringComparison.Ordinal)));
        await Eventually(() => controller.Queue.NumRequeues("test/a") == 0, "success forgot the backoff");

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task RequeueAfter_reconciles_again_when_the_delay_has_passed()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        await new ResourceClient<V1ConfigMap>(client, ConfigMaps).CreateAsync(ConfigMap("a"));
        var time = new ManualTimeProvider();
        var count = 0;
        var reconciler = new Reconciler((_, _, _) =>
        {
            Interlocked.Increment(ref count);
            return Task.FromResult(ReconcileResult.Requeue(TimeSpan.FromMinutes(1)));
        });
        var controller = new Controller<V1ConfigMap>(client, ConfigMaps, reconciler, new ControllerOptions
        {
            Informer = new ReflectorOptions { Namespace = Namespace },
            Queue = new WorkQueueOptions { Time = time },
        });
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually(() => Volatile.Read(ref count) == 1 && controller.Queue.DelayedCount == 1, "the first reconcile asked for a requeue");
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.Equal(1, Volatile.Read(ref count));
        Assert.Equal(0, controller.Queue.Length);
        time.Advance(TimeSpan.FromSeconds(1));
        await Eventually(() => Volatile.Read(ref count) == 2, "the requeue ran after a minute");

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task A_key_is_never_reconciled_by_two_workers_at_once()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        await configMaps.CreateAsync(ConfigMap("a"));
        await configMaps.CreateAsync(ConfigMap("b"));
        var running = new ConcurrentDictionary<string, int>();
        var overlaps = 0;
        var total = 0;
        var maxParallel = 0;
        var parallel = 0;
        var reconciler = new Reconciler(async (key, _, ct) =>
        {
            if (running.AddOrUpdate(key, 1, (_, n) => n + 1) > 1)
            {
                Interlocked.Increment(ref overlaps);
            }

            var now = Interlocked.Increment(ref parallel);
            InterlockedMax(ref maxParallel, now);
            await Task.Delay(15, ct);
            Interlocked.Decrement(ref parallel);
            running.AddOrUpdate(key, 0, (_, n) => n - 1);
            Interlocked.Increment(ref total);
            return ReconcileResult.Done;
        });
        var controller = new Controller<V1ConfigMap>(client, ConfigMaps, reconciler, new ControllerOptions { Workers = 4, Informer = new ReflectorOptions { Namespace = Namespace } });
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        for (var i = 0; i < 20; i++)
        {
            await client.SetDataAsync("a", "k", $"{i}");
            await client.SetDataAsync("b", "k", $"{i}");
            controller.Queue.Add("test/a");
        }

        await Eventually(() => controller.Informer.Get("test/a")?.Data["k"] == "19" && controller.Queue.Length == 0 && Volatile.Read(ref parallel) == 0, "the updates were worked off");
        Assert.Equal(0, Volatile.Read(ref overlaps));
        Assert.True(Volatile.Read(ref maxParallel) <= 2);
        Assert.True(Volatile.Read(ref total) >= 4);

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Owns_maps_a_change_of_an_owned_secret_to_its_owners_key()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        var secrets = new ResourceClient<V1Secret>(client, Secrets);
        var owner = await configMaps.CreateAsync(ConfigMap("owner"));
        var seen = new ConcurrentQueue<string>();
        var reconciler = new Reconciler((key, _, _) =>
        {
            seen.Enqueue(key);
            return Task.FromResult(ReconcileResult.Done);
        });
        var controller = new Controller<V1ConfigMap>(client, ConfigMaps, reconciler, new ControllerOptions { Informer = new ReflectorOptions { Namespace = Namespace } })
            .Owns<V1Secret>(Secrets);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        await Eventually(() => seen.Count == 1, "the owner was reconciled once");

        await secrets.CreateAsync(Secret("unrelated", Owner("Other", true, owner.Metadata.Uid)));
        await secrets.CreateAsync(Secret("not-controller", Owner("ConfigMap", false, owner.Metadata.Uid)));
        await secrets.CreateAsync(Secret("child", Owner("ConfigMap", true, owner.Metadata.Uid)));
        await Eventually(() => seen.Count == 2, "the child's creation reconciled its owner");
        await secrets.MergePatchAsync("child", Namespace, new { metadata = new { labels = new { x = "y" } } });
        await Eventually(() => seen.Count >= 3, "the child's update reconciled its owner");
        var afterUpdate = seen.Count;
        await secrets.DeleteAsync("child", Namespace);
        await Eventually(() => seen.Count > afterUpdate, "the child's deletion reconciled its owner");
        Assert.All(seen, k => Assert.Equal("test/owner", k));

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Watches_maps_related_objects_to_primary_keys()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var seen = new ConcurrentQueue<string>();
        var reconciler = new Reconciler((key, _, _) =>
        {
            seen.Enqueue(key);
            return Task.FromResult(ReconcileResult.Done);
        });
        var controller = new Controller<V1ConfigMap>(client, ConfigMaps, reconciler, new ControllerOptions { Informer = new ReflectorOptions { Namespace = Namespace } })
            .Watches<V1Secret>(Secrets, s => s.Metadata.Labels?.TryGetValue("for", out var target) == true ? [$"{s.Metadata.NamespaceProperty}/{target}"] : []);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await new ResourceClient<V1Secret>(client, Secrets).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "s", NamespaceProperty = Namespace, Labels = new Dictionary<string, string> { ["for"] = "target" } },
        });
        await Eventually(() => seen.Contains("test/target"), "the related secret enqueued its primary");

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
    }

    [Fact]
    public async Task Cancellation_stops_the_workers_and_cancels_in_flight_reconciles()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        await new ResourceClient<V1ConfigMap>(client, ConfigMaps).CreateAsync(ConfigMap("a"));
        var inFlight = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var cancelled = false;
        var reconciler = new Reconciler(async (_, _, ct) =>
        {
            inFlight.TrySetResult();
            try
            {
                await Task.Delay(System.Threading.Timeout.InfiniteTimeSpan, ct);
            }
            catch (OperationCanceledException)
            {
                Volatile.Write(ref cancelled, true);
                throw;
            }

            return ReconcileResult.Done;
        });
        var controller = new Controller<V1ConfigMap>(client, ConfigMaps, reconciler, new ControllerOptions { Informer = new ReflectorOptions { Namespace = Namespace } });
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        await inFlight.Task.WaitAsync(Timeout);

        await stop.CancelAsync();
        await run.WaitAsync(Timeout);
        Assert.True(Volatile.Read(ref cancelled));
        Assert.True(controller.Queue.IsShuttingDown);
        Assert.Equal(0, controller.Errors);
    }

    private static V1Secret Secret(string name, V1OwnerReference owner) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, OwnerReferences = [owner] },
    };

    private static V1OwnerReference Owner(string kind, bool controller, string uid) =>
        new() { ApiVersion = "v1", Kind = kind, Name = "owner", Uid = uid, Controller = controller };

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    private sealed class Reconciler(Func<string, V1ConfigMap?, CancellationToken, Task<ReconcileResult>> reconcile) : IReconciler<V1ConfigMap>
    {
        public Task<ReconcileResult> ReconcileAsync(string key, V1ConfigMap? cached, CancellationToken cancellationToken) => reconcile(key, cached, cancellationToken);
    }
}
