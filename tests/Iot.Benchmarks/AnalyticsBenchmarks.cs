using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

using Iot.Analytics;
using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;
using Iot.Testing;

using k8s.Models;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iot.Benchmarks;

/// <summary>
/// The analytics API over Kestrel on loopback and a real influxd holding 30 days of a 50-device room (a point every
/// 5 minutes per device, written through the time-series store; the hourly rollup computed by InfluxDB):
/// <c>GET /rooms/{id}/history</c> over 30 days at a 1-hour step, planned (read from the 1-hour rollup) beside the same
/// request served from raw points (a Room without rollups); and <c>GET /rooms/{id}/metrics</c> (live, from memory)
/// beside the same aggregates read from the store per request (each device's latest point).
/// </summary>
internal static class AnalyticsBenchmarks
{
    private const int Devices = 50;
    private const int Concurrency = 4;
    private static readonly TimeSpan Measure = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Days = TimeSpan.FromDays(30);

    public static async Task RunAsync(BenchmarkTable table)
    {
        await using var influx = await InfluxDbServer.StartAsync();
        using var client = new InfluxClient(new InfluxOptions { Url = influx.Url, Timeout = TimeSpan.FromSeconds(120) });
        const string Ns = "bench";
        var now = DateTimeOffset.UtcNow;
        await client.CreateDatabaseAsync(Ns);
        await client.CreateRetentionPolicyAsync(Ns, new RetentionPolicy(RetentionPolicyNames.Raw("lab"), TimeSpan.Zero, TimeSpan.Zero));
        await client.CreateRetentionPolicyAsync(Ns, new RetentionPolicy(RetentionPolicyNames.Rollup("lab", TimeSpan.FromHours(1)), TimeSpan.Zero, TimeSpan.Zero));

        // Planned: raw kept 7 days, hourly rollups 2 years. Peer: the same data, a Room with raw kept 60 days and no rollups.
        await using var planned = await HostAsync(influx.Url, Ns, Room("7d", ("1h", "730d")));
        await using var rawOnly = await HostAsync(influx.Url, Ns, Room("60d"));

        var load = Stopwatch.StartNew();
        var store = planned.Services.GetRequiredService<ITimeSeriesStore>();
        var points = 0;
        for (var at = now - Days; at < now; at += TimeSpan.FromMinutes(5))
        {
            var batch = new List<TelemetryPoint>(Devices);
            for (var d = 0; d < Devices; d++, points++)
            {
                batch.Add(new TelemetryPoint(Ns, $"t{d:00}", "lab", "thermostat", at, new Dictionary<string, TelemetryValue>
                {
                    ["temperature"] = 18 + (d % 7) + Math.Sin(at.ToUnixTimeSeconds() / 3600.0),
                    ["watts"] = (long)(100 + d),
                }));
            }

            await store.WriteAsync(batch);
        }

        await store.FlushAsync();
        await client.ExecuteAsync(Ns, RollupQuery.Backfill(Ns, "lab", TimeSpan.FromHours(1), now - Days - TimeSpan.FromHours(1), now));
        Console.Error.WriteLine($"analytics: {points:N0} points and the hourly rollup loaded in {load.Elapsed.TotalSeconds:0.0} s");

        const string History = "/rooms/lab/history?metric=temperature&from=now-30d&step=1h";
        var ours = await LoadAsync(planned.Client, History, 720);
        var peer = await LoadAsync(rawOnly.Client, History, 720);
        table.Add($"analytics: room history 30d at 1h, {Devices} devices (rollup vs raw)", ours.PerSecond, "requests/s", peer.PerSecond);
        table.Add("  same, p99 latency (rollup vs raw)", ours.P99, "ms", peer.P99);

        var live = planned.Services.GetRequiredService<LiveTelemetry>();
        for (var d = 0; d < Devices; d++)
        {
            live.Record($"t{d:00}", new TelemetryReading(DateTimeOffset.UtcNow, new Dictionary<string, TelemetryValue> { ["temperature"] = 20.0 + d, ["watts"] = 100L }));
        }

        var metrics = await LoadAsync(planned.Client, "/rooms/lab/metrics", 0);
        var fromStore = await LatestFromStoreAsync(store, Ns);
        table.Add($"analytics: room metrics, {Devices} devices (live vs latest points from the store)", metrics.PerSecond, "requests/s", fromStore);
        table.Add("  same, p99 latency of live metrics", metrics.P99, "ms");
    }

    // Requests from a few concurrent clients for a fixed time, after a warm-up; every answer is checked.
    private static async Task<(double PerSecond, double P99)> LoadAsync(HttpClient client, string path, int expectedPoints)
    {
        for (var i = 0; i < 3; i++)
        {
            await GetAsync(client, path, expectedPoints);
        }

        var latencies = new List<double>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            var mine = new List<double>();
            while (clock.Elapsed < Measure)
            {
                var started = Stopwatch.GetTimestamp();
                await GetAsync(client, path, expectedPoints);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }

            lock (latencies)
            {
                latencies.AddRange(mine);
            }
        }));
        var elapsed = clock.Elapsed.TotalSeconds;
        latencies.Sort();
        return (latencies.Count / elapsed, latencies[(int)Math.Ceiling(latencies.Count * 0.99) - 1]);
    }

    private static async Task GetAsync(HttpClient client, string path, int expectedPoints)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"GET {path}: {(int)response.StatusCode} {body}");
        }

        if (expectedPoints > 0 && System.Text.Json.Nodes.JsonNode.Parse(body)!["points"]!.AsArray().Count < expectedPoints)
        {
            throw new InvalidOperationException($"GET {path}: fewer than {expectedPoints} points: {body[..Math.Min(300, body.Length)]}");
        }
    }

    // The peer of live metrics: what a request would cost reading each device's latest point (50 queries, 4 at a time).
    private static async Task<double> LatestFromStoreAsync(ITimeSeriesStore store, string ns)
    {
        var count = 0;
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < Measure)
        {
            var now = DateTimeOffset.UtcNow;
            await Parallel.ForEachAsync(Enumerable.Range(0, Devices), new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (d, ct) =>
                await store.QueryRawAsync(new RawQuery(ns, $"t{d:00}", "lab", now.AddHours(-1), now) { NewestFirst = true, Limit = 1 }, ct));
            count++;
        }

        return count / clock.Elapsed.TotalSeconds;
    }

    private static Room Room(string raw, params (string Every, string Keep)[] rollups) => new()
    {
        Metadata = new V1ObjectMeta { Name = "lab" },
        Spec = new RoomSpec
        {
            Metrics = [new RoomMetric { Name = "temperature", Field = "temperature", Aggregate = Aggregate.Mean }],
            Retention = new RoomRetention { Raw = raw, Rollups = [.. rollups.Select(r => new Rollup { Every = r.Every, Keep = r.Keep })] },
        },
    };

    private static async Task<Host> HostAsync(Uri influx, string ns, Room room)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Analytics:Namespace"] = ns,
            ["Analytics:ApiToken"] = "benchmark-token-0123456789",
            ["Analytics:WatchKubernetes"] = "false",
            ["Analytics:Mqtt:Enabled"] = "false",
            ["Analytics:Reports:SqlitePath"] = Path.Combine(Path.GetTempPath(), $"analytics-bench-{port}.db"),
            ["TimeSeries:Influx:Url"] = influx.ToString(),
        });
        builder.Services.AddIotAnalytics(builder.Configuration);
        var app = builder.Build();
        app.MapIotAnalytics();
        await app.StartAsync();
        var inventory = app.Services.GetRequiredService<DeviceInventory>();
        inventory.Put(room);
        for (var d = 0; d < Devices; d++)
        {
            inventory.Put(new Device { Metadata = new V1ObjectMeta { Name = $"t{d:00}" }, Spec = new DeviceSpec { Type = "thermostat", Room = "lab" } });
        }

        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "benchmark-token-0123456789");
        return new Host(app, client, port);
    }

    private sealed class Host(WebApplication app, HttpClient client, int port) : IAsyncDisposable
    {
        public HttpClient Client => client;

        public IServiceProvider Services => app.Services;

        public async ValueTask DisposeAsync()
        {
            client.Dispose();
            await app.StopAsync();
            await app.DisposeAsync();
            File.Delete(Path.Combine(Path.GetTempPath(), $"analytics-bench-{port}.db"));
        }
    }
}
