using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.DependencyInjection;

namespace Iot.Analytics.Tests.Api;

/// <summary>A fresh analytics host per test over the SQLite store, with lab-1 (t1, t2) and hall (h1) and a clock at <see cref="Now"/>.</summary>
public abstract class ApiTest : IAsyncLifetime
{
    protected static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    protected ManualTimeProvider Time { get; } = new(Now);

    internal AnalyticsHost Host { get; private set; } = null!;

    protected DeviceInventory Inventory => Host.Get<DeviceInventory>();

    protected ITimeSeriesStore Store => Host.Get<ITimeSeriesStore>();

    public virtual async Task InitializeAsync()
    {
        Host = await AnalyticsHost.StartAsync(Time, services: ConfigureServices);
        Inventory.Put(Resources.Room("lab-1", "7d", ("1h", "90d")));
        Inventory.Put(Resources.Room("hall", "2d"));
        Inventory.Put(Resources.Device("t1", "lab-1"));
        Inventory.Put(Resources.Device("t2", "lab-1"));
        Inventory.Put(Resources.Device("h1", "hall", type: "meter"));
    }

    public async Task DisposeAsync() => await Host.DisposeAsync();

    /// <summary>Registers services before analytics does (replacing its defaults).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    /// <summary>Records live telemetry as the MQTT subscription would.</summary>
    protected void Live(string device, params (string Field, TelemetryValue Value)[] fields) =>
        Host.Get<LiveTelemetry>().Record(device, new TelemetryReading(Time.GetUtcNow(), fields.ToDictionary(f => f.Field, f => f.Value)));

    /// <summary>Stores one point per <paramref name="every"/> in [from, to) with <paramref name="value"/>(i) as temperature, as ingest would.</summary>
    protected async Task StoreAsync(string device, string? room, DateTimeOffset from, DateTimeOffset to, TimeSpan every, Func<int, double> value)
    {
        var points = new List<TelemetryPoint>();
        var i = 0;
        for (var at = from; at < to; at += every, i++)
        {
            points.Add(new TelemetryPoint(AnalyticsHost.Namespace, device, room, "thermostat", at, new Dictionary<string, TelemetryValue>
            {
                ["temperature"] = value(i),
                ["watts"] = (long)i,
            }));
        }

        await Store.WriteAsync(points);
        await Store.FlushAsync();
    }
}
