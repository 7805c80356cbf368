using System.Net.Http.Headers;
using System.Text.Json.Nodes;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iot.Analytics.Tests;

/// <summary>The analytics workload hosted in-process on a TestServer, the way Iot.Workloads hosts it (AddIotAnalytics + MapIotAnalytics).</summary>
internal sealed class AnalyticsHost : IAsyncDisposable
{
    public const string Namespace = "ns1";
    public const string Token = "test-token-0123456789abcdef";

    private readonly WebApplication app;
    private readonly TempDirectory? directory;

    private AnalyticsHost(WebApplication app, TempDirectory? directory)
    {
        this.app = app;
        this.directory = directory;
        Client = app.GetTestClient();
        Client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
    }

    public HttpClient Client { get; }

    public IServiceProvider Services => app.Services;

    /// <summary>A client that sends no token.</summary>
    public HttpClient AnonymousClient() => app.GetTestClient();

    public T Get<T>()
        where T : notnull => app.Services.GetRequiredService<T>();

    /// <summary>
    /// Starts analytics with an in-memory inventory (no Kubernetes watch), no MQTT, SQLite stores in a temp dir, and the
    /// given clock; <paramref name="settings"/> override or add configuration.
    /// </summary>
    public static async Task<AnalyticsHost> StartAsync(TimeProvider time, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var directory = new TempDirectory();
        try
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseTestServer();
            builder.Logging.ClearProviders();
            var configuration = new Dictionary<string, string?>
            {
                ["Analytics:Namespace"] = Namespace,
                ["Analytics:ApiToken"] = Token,
                ["Analytics:WatchKubernetes"] = "false",
                ["Analytics:Mqtt:Enabled"] = "false",
                ["Analytics:MaxPoints"] = "100",
                ["Analytics:Reports:SqlitePath"] = Path.Combine(directory.Path, "reports.db"),
                ["TimeSeries:Sqlite:Path"] = Path.Combine(directory.Path, "telemetry.db"),
            };
            foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
            {
                configuration[key] = value;
            }

            builder.Configuration.AddInMemoryCollection(configuration);
            builder.Services.AddSingleton(time);
            services?.Invoke(builder.Services);
            builder.Services.AddIotAnalytics(builder.Configuration);
            var app = builder.Build();
            app.MapIotAnalytics();
            await app.StartAsync();
            return new AnalyticsHost(app, directory);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    public async Task<JsonNode> GetJsonAsync(string path)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }

    /// <summary>GETs <paramref name="path"/> expecting a problem+json answer with <paramref name="status"/>; returns the problem.</summary>
    public async Task<JsonNode> GetProblemAsync(string path, int status)
    {
        using var response = await Client.GetAsync(new Uri(path, UriKind.Relative));
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == (int)response.StatusCode, $"GET {path}: expected {status}, got {(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(body)!;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        directory?.Dispose();
    }
}
