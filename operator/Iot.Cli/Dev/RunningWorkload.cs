using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Iot.Cli.Dev;

/// <summary>One component of one namespace running in-process: its host, the pod template it was started from, its ports.</summary>
internal sealed class RunningWorkload : IAsyncDisposable
{
    private readonly WebApplication host;
    private readonly CancellationTokenSource stopping = new();
    private readonly Task watchingReadiness;
    private volatile bool ready;

    private RunningWorkload(string ns, string component, string template, WebApplication host, int httpPort, int metricsPort, Action becameReady)
    {
        Namespace = ns;
        Component = component;
        Template = template;
        HttpPort = httpPort;
        MetricsPort = metricsPort;
        this.host = host;
        watchingReadiness = WaitUntilReadyAsync(becameReady, stopping.Token);
    }

    public string Namespace { get; }

    public string Component { get; }

    /// <summary>The Deployment's pod template (JSON) it runs; another template means a restart.</summary>
    public string Template { get; }

    public int HttpPort { get; }

    public int MetricsPort { get; }

    /// <summary>Whether its readiness checks (what /readyz reports) have passed once.</summary>
    public bool Ready => ready;

    /// <summary>Starts <paramref name="host"/>; <paramref name="becameReady"/> is called once its readiness checks pass.</summary>
    public static async Task<RunningWorkload> StartAsync(string ns, string component, string template, WebApplication host, int httpPort, int metricsPort, Action becameReady, CancellationToken cancellationToken)
    {
        try
        {
            await host.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await host.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new RunningWorkload(ns, component, template, host, httpPort, metricsPort, becameReady);
    }

    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await watchingReadiness.ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
        }

        // Open WebSockets and in-flight deliveries get a moment to finish; then the host stops regardless.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await host.StopAsync(timeout.Token).ConfigureAwait(false);
        await host.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task WaitUntilReadyAsync(Action becameReady, CancellationToken cancellationToken)
    {
        var health = host.Services.GetRequiredService<HealthCheckService>();
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(100));
        do
        {
            if ((await health.CheckHealthAsync(cancellationToken).ConfigureAwait(false)).Status == HealthStatus.Healthy)
            {
                ready = true;
                becameReady();
                return;
            }
        }
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
    }
}
