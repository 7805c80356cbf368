using System.Diagnostics;
using System.Text.Json;

using Iot.Api.AlertRoutes;
using Iot.Api.Alerts;
using Iot.Notify;
using Iot.Notify.Alerts;
using Iot.Notify.Hosting;
using Iot.Notify.Routes;
using Iot.Storage.Events;
using Iot.Testing;

using k8s.Models;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iot.Benchmarks;

/// <summary>
/// notify on PostgreSQL: alert events routed through 50 AlertRoutes and persisted (alert row and transition event), per
/// second; and the latency from an alert event entering notify to its webhook call with groupWait 0. No peer is named.
/// </summary>
internal static class NotifyBenchmarks
{
    private const string Namespace = "bench";

    public static async Task RunAsync(BenchmarkTable table, int alerts = 5_000, int latencySamples = 500)
    {
        await using var postgres = await PostgresServer.StartAsync();
        var received = new System.Collections.Concurrent.ConcurrentDictionary<string, long>();
        await using var target = await StartTargetAsync(received);
        var hook = target.Urls.First() + "/hook";

        // 50 routes; each alert matches one of them (by room) and joins a group that waits an hour, so nothing is sent
        // while the throughput is measured: this is routing and persistence.
        var routes = new InMemoryRouteSource([.. Enumerable.Range(0, 50).Select(i => Route($"room-{i:00}", i, $"room=\"room-{i:00}\"", "1h", hook)),
            Route("instant", 100, "room=\"instant\"", "0s", hook)]);
        await using (var host = await StartNotifyAsync(routes, await postgres.CreateDatabaseAsync("bench")))
        {
            var intake = host.Services.GetRequiredService<AlertIntake>();
            for (var i = 0; i < 200; i++)
            {
                await intake.HandleAsync(Alert($"warm-{i}", $"room-{i % 50:00}"), CancellationToken.None); // warm-up
            }

            var clock = Stopwatch.StartNew();
            for (var i = 0; i < alerts; i++)
            {
                await intake.HandleAsync(Alert($"dev-{i:00000}", $"room-{i % 50:00}"), CancellationToken.None);
            }

            clock.Stop();
            var stored = await host.Services.GetRequiredService<IEventStore>().ListAlertsAsync(new AlertQuery { Status = "firing", Limit = alerts * 2 });
            if (stored.Count < alerts)
            {
                throw new InvalidOperationException($"only {stored.Count} of {alerts} alerts were persisted");
            }

            table.Add("notify: alerts routed (50 routes) and persisted to PostgreSQL", alerts / clock.Elapsed.TotalSeconds, "alerts/s");

            var latencies = new List<double>();
            for (var i = 0; i < latencySamples; i++)
            {
                var alert = Alert($"instant-{i:0000}", "instant");
                var started = Stopwatch.GetTimestamp();
                await intake.HandleAsync(alert, CancellationToken.None);
                var deadline = DateTime.UtcNow.AddSeconds(10);
                long at;
                while (!received.TryGetValue(alert.Fingerprint, out at))
                {
                    if (DateTime.UtcNow > deadline)
                    {
                        throw new InvalidOperationException($"alert {alert.Device} never reached the webhook");
                    }

                    await Task.Yield();
                }

                latencies.Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds);
            }

            latencies.Sort();
            table.Add("notify: alert-to-webhook latency p50 (groupWait 0)", latencies[latencies.Count / 2], "ms");
            table.Add("notify: alert-to-webhook latency p99 (groupWait 0)", latencies[(int)(latencies.Count * 0.99)], "ms");
        }
    }

    private static AlertRoute Route(string name, int priority, string matcher, string groupWait, string hook) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new AlertRouteSpec
        {
            Priority = priority,
            Matchers = [matcher],
            GroupBy = ["device"],
            GroupWait = groupWait,
            Receivers = [new Receiver { Name = "hook", Webhook = new WebhookReceiver { Url = hook } }],
        },
    };

    private static AlertEvent Alert(string device, string room) => new()
    {
        Fingerprint = AlertEvent.FingerprintOf(Namespace, "overheat", device),
        Status = AlertStatus.Firing,
        Namespace = Namespace,
        Rule = "overheat",
        Device = device,
        Room = room,
        Labels = new Dictionary<string, string> { ["severity"] = "critical" },
        StartsAt = DateTimeOffset.UtcNow,
    };

    private static async Task<WebApplication> StartNotifyAsync(IRouteSource routes, string connectionString)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Notify:Namespace"] = Namespace,
            ["Notify:ApiToken"] = "bench-token-0123456789",
            ["Notify:Store:Provider"] = "postgres",
            ["Notify:Store:ConnectionString"] = connectionString,
        });
        builder.Services.AddSingleton(routes);
        builder.Services.AddIotNotify(builder.Configuration);
        var app = builder.Build();
        app.MapIotNotify();
        await app.StartAsync();
        await app.Services.GetRequiredService<NotifyService>().Started;
        return app;
    }

    private static async Task<WebApplication> StartTargetAsync(System.Collections.Concurrent.ConcurrentDictionary<string, long> received)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.MapPost("/hook", async (HttpContext context) =>
        {
            var at = Stopwatch.GetTimestamp();
            using var body = await JsonDocument.ParseAsync(context.Request.Body);
            foreach (var alert in body.RootElement.GetProperty("alerts").EnumerateArray())
            {
                received.TryAdd(alert.GetProperty("fingerprint").GetString()!, at);
            }

            return Results.Ok();
        });
        await app.StartAsync();
        return app;
    }
}
