using System.Net.Http.Headers;

using Iot.Notify.Grouping;
using Iot.Notify.Hosting;
using Iot.Notify.Routes;
using Iot.Storage.Events;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iot.Notify.Tests.Support;

/// <summary>
/// The notify workload hosted as the real process hosts it (WebApplication, Kestrel on a free port), with routes in
/// memory, or from the Kubernetes API (an <c>IKubernetes</c> registered by <c>configure</c>) when none are given.
/// </summary>
public sealed class NotifyHost : IAsyncDisposable
{
    public const string Token = "test-token-0123456789abcdef";

    private readonly WebApplication app;

    private NotifyHost(WebApplication app, int port)
    {
        this.app = app;
        Url = new Uri($"http://127.0.0.1:{port}");
        Client = new HttpClient { BaseAddress = Url };
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public Uri Url { get; }

    /// <summary>A client that sends the API token.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    public IEventStore Store => Services.GetRequiredService<IEventStore>();

    public AlertDispatcher Dispatcher => Services.GetRequiredService<AlertDispatcher>();

    public NotifyMetrics Metrics => Services.GetRequiredService<NotifyMetrics>();

    /// <summary>Starts notify and waits until it has restored its state and runs its outbox.</summary>
    public static async Task<NotifyHost> StartAsync(
        IRouteSource? routes, TimeProvider time, IDictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        var configuration = new Dictionary<string, string?>
        {
            ["Notify:Namespace"] = TestRoutes.Namespace,
            ["Notify:ApiToken"] = Token,
            ["Notify:Retry:InitialBackoff"] = "00:00:01",
            ["Notify:Retry:MaxBackoff"] = "00:00:10",
            ["Notify:Retry:MaxAttempts"] = "3",
        };
        foreach (var (key, value) in settings)
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton(time);
        if (routes is not null)
        {
            builder.Services.AddSingleton(routes);
        }

        configure?.Invoke(builder.Services);
        builder.Services.AddIotNotify(builder.Configuration);
        var app = builder.Build();
        app.MapIotNotify();
        app.MapHealthChecks("/readyz", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") });
        try
        {
            await app.StartAsync();
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }

        var host = new NotifyHost(app, port);
        await app.Services.GetRequiredService<NotifyService>().Started.WaitAsync(TimeSpan.FromSeconds(30));
        return host;
    }

    public static Dictionary<string, string?> Postgres(string connectionString) => new()
    {
        ["Notify:Store:Provider"] = "postgres",
        ["Notify:Store:ConnectionString"] = connectionString,
    };

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
