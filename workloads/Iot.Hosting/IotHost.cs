using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;

using OpenTelemetry.Metrics;

namespace Iot.Hosting;

/// <summary>
/// The service defaults of every IoTOperator process (after eShop's ServiceDefaults): configuration from appsettings,
/// environment (<c>IOT_</c> prefix, <c>__</c> for sections) and command line; single-line console logs; and the
/// management endpoints <c>/metrics</c> (Prometheus text format: every System.Diagnostics.Metrics instrument of the
/// process), <c>/healthz</c> (liveness checks) and <c>/readyz</c> (checks tagged <see cref="ReadyTag"/>).
/// </summary>
public static class IotHost
{
    /// <summary>The tag of health checks that gate readiness (not liveness).</summary>
    public const string ReadyTag = "ready";

    /// <summary>Meters exported at /metrics: every meter whose name starts with this ("Iot.Kube", "Iot.Broker", …).</summary>
    public const string MeterPrefix = "Iot.";

    // Latencies from 1 ms to 30 s: reconciles, store writes, deliveries.
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    /// <summary>A web application builder with the defaults; add the component's services, then <see cref="MapManagementEndpoints"/>.</summary>
    public static WebApplicationBuilder CreateBuilder(string[] args)
    {
        var builder = WebApplication.CreateSlimBuilder(args);
        builder.Configuration.AddEnvironmentVariables("IOT_");
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ ";
            o.UseUtcTimestamp = true;
        });
        builder.Services.AddHealthChecks();
        builder.Services.AddOpenTelemetry().WithMetrics(metrics => metrics
            .AddMeter(MeterPrefix + "*")
            .AddView(instrument => instrument.GetType().GetGenericTypeDefinition() == typeof(System.Diagnostics.Metrics.Histogram<>) && instrument.Unit == "s"
                ? new ExplicitBucketHistogramConfiguration { Boundaries = SecondsBuckets }
                : null)
            .AddPrometheusExporter());
        return builder;
    }

    /// <summary>Maps <c>/metrics</c>, <c>/healthz</c> and <c>/readyz</c> (on the application, or on a group such as one restricted to a port).</summary>
    public static TBuilder MapManagementEndpoints<TBuilder>(this TBuilder endpoints)
        where TBuilder : IEndpointRouteBuilder
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPrometheusScrapingEndpoint("/metrics");
        endpoints.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = c => !c.Tags.Contains(ReadyTag), ResponseWriter = WriteAsync });
        endpoints.MapHealthChecks("/readyz", new HealthCheckOptions { ResponseWriter = WriteAsync });
        return endpoints;
    }

    /// <summary>
    /// A health check from a condition on a service: healthy while <paramref name="healthy"/> holds for the registered
    /// <typeparamref name="TService"/>, else unhealthy with <paramref name="whyNot"/>'s explanation. Readiness checks
    /// gate /readyz only; the others are liveness checks (/healthz and /readyz).
    /// </summary>
    public static IHealthChecksBuilder AddCondition<TService>(this IHealthChecksBuilder builder, string name, Func<TService, bool> healthy, Func<TService, string> whyNot, bool readiness)
        where TService : notnull
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            name,
            sp => new ConditionCheck(() =>
            {
                var service = sp.GetRequiredService<TService>();
                return healthy(service) ? null : whyNot(service);
            }),
            HealthStatus.Unhealthy,
            readiness ? [ReadyTag] : []));
    }

    /// <summary>A health check from a condition that needs no service.</summary>
    public static IHealthChecksBuilder AddCondition(this IHealthChecksBuilder builder, string name, Func<bool> healthy, string whyNot, bool readiness)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, _ => new ConditionCheck(() => healthy() ? null : whyNot), HealthStatus.Unhealthy, readiness ? [ReadyTag] : []));
    }

    // A plain-text body naming each check and, when failing, why: what an SRE reads in `curl` or a probe's event.
    private static Task WriteAsync(HttpContext context, HealthReport report)
    {
        context.Response.ContentType = "text/plain; charset=utf-8";
        var lines = report.Entries.OrderBy(e => e.Key, StringComparer.Ordinal)
            .Select(e => $"{e.Key}: {e.Value.Status}{(e.Value.Description is { Length: > 0 } d && e.Value.Status != HealthStatus.Healthy ? " (" + d + ")" : "")}");
        return context.Response.WriteAsync($"{report.Status}\n{string.Join('\n', lines)}\n");
    }

    private sealed class ConditionCheck(Func<string?> problem) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(problem() is { } why ? HealthCheckResult.Unhealthy(why) : HealthCheckResult.Healthy());
    }
}
