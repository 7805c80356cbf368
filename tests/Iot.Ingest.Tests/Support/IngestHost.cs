using System.Globalization;
using System.Net;

using Iot.Hosting;
using Iot.Ingest.Devices;
using Iot.Ingest.Rejections;
using Iot.Storage.TimeSeries;

using k8s;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Iot.Ingest.Tests.Support;

/// <summary>
/// The ingest workload as the product hosts it (Iot.Hosting's builder, AddIotIngest, MapIotIngest) on a free loopback
/// port, against the fixture's broker, influxd and API server, in one namespace. Started until ready.
/// </summary>
public sealed class IngestHost : IAsyncDisposable
{
    private readonly WebApplication app;

    private IngestHost(WebApplication app, Uri url, IngestMetricsReader metrics)
    {
        this.app = app;
        Url = url;
        Metrics = metrics;
        Http = new HttpClient { BaseAddress = url };
    }

    public Uri Url { get; }

    public HttpClient Http { get; }

    public IngestMetricsReader Metrics { get; }

    public IServiceProvider Services => app.Services;

    public IRejectionLog Rejections => Services.GetRequiredService<IRejectionLog>();

    public IDeviceLastSeen LastSeen => Services.GetRequiredService<IDeviceLastSeen>();

    public ITimeSeriesStore Store => Services.GetRequiredService<ITimeSeriesStore>();

    /// <summary>
    /// Starts ingest for <paramref name="ns"/>; <paramref name="settings"/> add to or override the defaults below, and
    /// <paramref name="services"/> registers replacements before AddIotIngest.
    /// </summary>
    public static async Task<IngestHost> StartAsync(
        IngestFixture fixture, string ns, TimeProvider? time = null, IReadOnlyDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null, bool waitUntilReady = true)
    {
        var port = FreePort.Next();
        var builder = IotHost.CreateBuilder([]);
        builder.WebHost.UseUrls($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}");
        var configuration = new Dictionary<string, string?>
        {
            ["Logging:LogLevel:Default"] = "Warning",
            ["Ingest:Namespace"] = ns,
            ["Ingest:Mqtt:Host"] = "127.0.0.1",
            ["Ingest:Mqtt:Port"] = fixture.Broker.Port.ToString(CultureInfo.InvariantCulture),
            ["Ingest:Mqtt:Username"] = "",
            ["Ingest:Mqtt:ClientId"] = $"ingest-{ns}-{Guid.NewGuid():N}",
            ["Ingest:Mqtt:ShareGroup"] = $"ingest-{ns}",
            ["Ingest:RejectionPublishInterval"] = "00:00:00.050",
            ["TimeSeries:Influx:Url"] = fixture.Influx.Url.ToString(),
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            configuration[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(configuration);
        builder.Services.AddSingleton<IKubernetes>(fixture.Cluster.CreateClient());
        builder.Services.AddSingleton(time ?? TimeProvider.System);
        services?.Invoke(builder.Services);
        builder.Services.AddIotIngest(builder.Configuration);
        var app = builder.Build();
        app.MapManagementEndpoints();
        app.MapIotIngest();
        var metrics = new IngestMetricsReader(app.Services);
        try
        {
            await app.StartAsync();
        }
        catch
        {
            metrics.Dispose();
            await app.DisposeAsync();
            throw;
        }

        var host = new IngestHost(app, new Uri($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}"), metrics);
        if (waitUntilReady)
        {
            await Eventually.TrueAsync(async () => (await host.Http.GetAsync(new Uri("/readyz", UriKind.Relative))).StatusCode == HttpStatusCode.OK, "ingest is ready");
        }

        return host;
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        Metrics.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
