using System.Collections.Concurrent;
using System.Diagnostics;

using Iot.Api;
using Iot.Api.Devices;
using Iot.LocalCluster;
using Iot.Testing;

using k8s;
using k8s.Models;

namespace Iot.Benchmarks;

/// <summary>The local API server through the real KubernetesClient over HTTP: bulk create and list, and watch latency.</summary>
internal static class LocalClusterBenchmarks
{
    public static async Task RunAsync(BenchmarkTable table, int devices, int watchSamples)
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds"), WatchHistorySize = devices * 2 });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = "bench" } });

        var create = Stopwatch.StartNew();
        await Parallel.ForAsync(0, devices, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, ct) =>
            await client.CustomObjects.CreateNamespacedCustomObjectAsync<Device>(NewDevice($"dev-{i:00000}"), IotApi.Group, IotApi.Version, "bench", "devices", cancellationToken: ct));
        create.Stop();
        table.Add($"create {devices:N0} Devices (KubernetesClient, 8 concurrent)", create.Elapsed.TotalSeconds, "s");
        table.Add("  creates per second", devices / create.Elapsed.TotalSeconds, "objects/s");

        var list = Stopwatch.StartNew();
        var listed = await client.CustomObjects.ListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, "bench", "devices");
        list.Stop();
        var count = ((System.Text.Json.JsonElement)listed).GetProperty("items").GetArrayLength();
        if (count != devices)
        {
            throw new InvalidOperationException($"listed {count} devices, created {devices}");
        }

        table.Add($"list {devices:N0} Devices (one request)", list.Elapsed.TotalMilliseconds, "ms");

        var latencies = await WatchLatencyAsync(client, watchSamples);
        table.Add($"watch event latency p50 ({watchSamples} creates, 50 watches open)", Percentile(latencies, 0.50), "ms");
        table.Add($"watch event latency p99 ({watchSamples} creates, 50 watches open)", Percentile(latencies, 0.99), "ms");
    }

    // Time from issuing a create to its ADDED event arriving on a watch, with 49 more watches open on the same resource.
    private static async Task<List<double>> WatchLatencyAsync(Kubernetes client, int samples)
    {
        var sent = new ConcurrentDictionary<string, long>();
        var latencies = new ConcurrentBag<double>();
        var done = new TaskCompletionSource();
        using var stop = new CancellationTokenSource();
        var watchers = new List<Task>();
        var from = (await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(IotApi.Group, IotApi.Version, "bench", "devices", limit: 1)).Body;
        var resourceVersion = ((System.Text.Json.JsonElement)from).GetProperty("metadata").GetProperty("resourceVersion").GetString();
        for (var w = 0; w < 50; w++)
        {
            var measured = w == 0;
            watchers.Add(Task.Run(async () =>
            {
                await foreach (var (type, item) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, "bench", "devices", resourceVersion: resourceVersion, cancellationToken: stop.Token))
                {
                    var name = ((System.Text.Json.JsonElement)item).GetProperty("metadata").GetProperty("name").GetString()!;
                    if (measured && type == WatchEventType.Added && sent.TryGetValue(name, out var start))
                    {
                        latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
                        if (latencies.Count == samples)
                        {
                            done.TrySetResult();
                        }
                    }
                }
            }));
        }

        for (var i = 0; i < samples; i++)
        {
            var name = $"watched-{i:0000}";
            sent[name] = Stopwatch.GetTimestamp();
            await client.CustomObjects.CreateNamespacedCustomObjectAsync<Device>(NewDevice(name), IotApi.Group, IotApi.Version, "bench", "devices");
        }

        await done.Task.WaitAsync(TimeSpan.FromMinutes(2));
        await stop.CancelAsync();
        await Task.WhenAll(watchers).ContinueWith(_ => { }, TaskScheduler.Default);
        return [.. latencies];
    }

    private static Device NewDevice(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["bench"] = "true" } },
        Spec = new DeviceSpec { Type = "thermostat", Room = "lab-1", Telemetry = [new TelemetryField { Name = "temperature", Type = TelemetryType.Number }] },
    };

    private static double Percentile(List<double> values, double p)
    {
        values.Sort();
        return values[(int)Math.Min(values.Count - 1, Math.Ceiling(p * values.Count) - 1)];
    }
}
