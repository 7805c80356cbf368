using System.Diagnostics;
using System.Text.Json;

using Iot.Api;
using Iot.Api.Devices;
using Iot.LocalCluster;
using Iot.Operator;
using Iot.Testing;

using k8s;
using k8s.Models;

namespace Iot.Benchmarks;

/// <summary>The operator over the local API server: Devices across Rooms until all are Ready, and a restart's resync.</summary>
internal static class OperatorBenchmarks
{
    public static async Task RunAsync(BenchmarkTable table, int devices, int rooms)
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds"), WatchHistorySize = devices * 20 });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "bench" } });
        for (var r = 0; r < rooms; r++)
        {
            await client.CustomObjects.CreateNamespacedCustomObjectAsync(new { apiVersion = IotApi.ApiVersion, kind = "Room", metadata = new { name = $"room-{r:000}" }, spec = new { } }, IotApi.Group, IotApi.Version, "bench", "rooms");
        }

        await Parallel.ForAsync(0, devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await client.CustomObjects.CreateNamespacedCustomObjectAsync<Device>(
                new Device { Metadata = new V1ObjectMeta { Name = $"dev-{i:00000}" }, Spec = new DeviceSpec { Type = "thermostat", Room = $"room-{i % rooms:000}" } },
                IotApi.Group, IotApi.Version, "bench", "devices", cancellationToken: ct));

        cluster.RequestLog.Clear();
        var memoryBefore = GC.GetTotalMemory(forceFullCollection: true);
        using var stop = new CancellationTokenSource();
        var clock = Stopwatch.StartNew();
        var running = new OperatorHost(client, new OperatorOptions { LeaderElection = false, Workers = 4 }, TimeProvider.System).RunAsync(stop.Token);
        var polls = await WaitUntilAllReadyAsync(client, devices);
        clock.Stop();
        var requests = cluster.RequestLog.Requests.Count - polls; // the benchmark's own polling LISTs are not the operator's
        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null)
        {
            foreach (var g in cluster.RequestLog.Requests.GroupBy(r => $"{r.Verb} {r.Resource}/{r.Subresource}").OrderByDescending(g => g.Count()))
            {
                Console.Error.WriteLine($"{g.Count(),8} {g.Key}");
            }
        }

        var memoryAfter = GC.GetTotalMemory(forceFullCollection: true);
        table.Add($"operator: {devices:N0} Devices in {rooms} Rooms until all Ready", clock.Elapsed.TotalSeconds, "s");
        table.Add("  API requests per Device (all controllers)", (double)requests / devices, "requests");
        table.Add("  managed heap growth (cluster and operator, one process)", (memoryAfter - memoryBefore) / 1024.0 / 1024.0, "MB");
        await stop.CancelAsync();
        await running;

        // A restart over unchanged objects: every object is reconciled again, and nothing should be written.
        cluster.RequestLog.Clear();
        using var stop2 = new CancellationTokenSource();
        var restarted = new OperatorHost(client, new OperatorOptions { LeaderElection = false, Workers = 4 }, TimeProvider.System).RunAsync(stop2.Token);
        await WaitForQuietAsync(cluster, TimeSpan.FromSeconds(3));
        var writes = cluster.RequestLog.Requests.Count(r => r.Verb is "create" or "update" or "patch" or "delete");
        table.Add("  write requests during the restart's full resync", writes, "requests");
        await stop2.CancelAsync();
        await restarted;
    }

    private static async Task<int> WaitUntilAllReadyAsync(Kubernetes client, int devices)
    {
        for (var polls = 1; ; polls++)
        {
            var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, "bench", "devices");
            var ready = list.GetProperty("items").EnumerateArray().Count(d =>
                d.TryGetProperty("status", out var s) && s.TryGetProperty("phase", out var p) && p.GetString() == "Ready");
            if (ready == devices)
            {
                return polls;
            }

            await Task.Delay(500);
        }
    }

    // The resync is over when the request log has not grown for a while.
    private static async Task WaitForQuietAsync(LocalCluster.LocalCluster cluster, TimeSpan quiet)
    {
        var last = -1;
        while (cluster.RequestLog.Requests.Count != last)
        {
            last = cluster.RequestLog.Requests.Count;
            await Task.Delay(quiet);
        }
    }
}
