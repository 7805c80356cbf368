using System.Diagnostics.Metrics;
using System.Net;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace Iot.Hosting.Tests;

public sealed class ManagementEndpointTests
{
    [Fact]
    public async Task Metrics_exports_the_processs_Iot_meters_in_Prometheus_names()
    {
        using var meter = new Meter("Iot.HostingTest");
        var counter = meter.CreateCounter<long>("iot_hostingtest_things_total", description: "Things.");
        var histogram = meter.CreateHistogram<double>("iot_hostingtest_work_seconds", "s", "Work.");
        using var other = new Meter("Elsewhere.Test");
        other.CreateCounter<long>("elsewhere_total").Add(1);
        await using var app = await StartAsync(_ => { });
        counter.Add(3, new KeyValuePair<string, object?>("reason", "bad_json"));
        histogram.Record(0.25);

        var (status, body) = await GetAsync(app, "/metrics");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("# TYPE iot_hostingtest_things_total counter", body, StringComparison.Ordinal);
        Assert.Contains("iot_hostingtest_things_total{otel_scope_name=\"Iot.HostingTest\",reason=\"bad_json\"} 3", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE iot_hostingtest_work_seconds histogram", body, StringComparison.Ordinal);
        Assert.Contains("iot_hostingtest_work_seconds_bucket{otel_scope_name=\"Iot.HostingTest\",le=\"0.25\"} 1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("elsewhere_total", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readyz_follows_readiness_checks_and_healthz_only_liveness_checks()
    {
        var synced = false;
        await using var app = await StartAsync(checks => checks
            .AddCondition("caches", () => Volatile.Read(ref synced), "caches not synced yet", readiness: true)
            .AddCondition("watches", () => true, "watches down", readiness: false));

        var (ready, readyBody) = await GetAsync(app, "/readyz");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready);
        Assert.Contains("caches: Unhealthy (caches not synced yet)", readyBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app, "/healthz")).Status);

        Volatile.Write(ref synced, true);
        Assert.Equal(HttpStatusCode.OK, (await GetAsync(app, "/readyz")).Status);
    }

    private static async Task<WebApplication> StartAsync(Action<IHealthChecksBuilder> health)
    {
        var builder = IotHost.CreateBuilder([]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{FreePort.Next()}");
        health(builder.Services.AddHealthChecks());
        var app = builder.Build();
        app.MapManagementEndpoints();
        await app.StartAsync();
        return app;
    }

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(WebApplication app, string path)
    {
        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        using var response = await http.GetAsync(new Uri(path, UriKind.Relative));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
