using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

using Iot.Analytics.Inventory;
using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

namespace Iot.Analytics.Tests.Influx;

/// <summary>
/// History over a real influxd, with data written through the store ingest writes with and an hourly rollup computed by
/// InfluxDB itself (the rollup continuous query's SELECT … INTO). lab-1 keeps raw points 2 days and hourly rollups 30 days.
/// </summary>
[Collection(InfluxCollection.Name)]
public sealed class InfluxHistoryTests(InfluxFixture influx) : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Hour = TimeSpan.FromHours(1);
    private readonly ManualTimeProvider time = new(Now);
    private string ns = "";
    private AnalyticsHost host = null!;

    public async Task InitializeAsync()
    {
        ns = await influx.CreateDatabaseAsync();

        // What the operator creates for lab-1 (kept forever here, so the test can write backdated points).
        await influx.Client.CreateRetentionPolicyAsync(ns, new RetentionPolicy(RetentionPolicyNames.Raw("lab-1"), TimeSpan.Zero, TimeSpan.Zero));
        await influx.Client.CreateRetentionPolicyAsync(ns, new RetentionPolicy(RetentionPolicyNames.Rollup("lab-1", Hour), TimeSpan.Zero, TimeSpan.Zero));
        host = await AnalyticsHost.StartAsync(time, new Dictionary<string, string?>
        {
            ["Analytics:Namespace"] = ns,
            ["TimeSeries:Influx:Url"] = influx.Server.Url.ToString(),
        });
        var inventory = host.Get<DeviceInventory>();
        inventory.Put(Resources.Room("lab-1", "2d", ("1h", "30d")));
        inventory.Put(Resources.Device("t1", "lab-1"));
        inventory.Put(Resources.Device("t2", "lab-1"));

        // Ten days, every 5 minutes: t1 climbs 20..31 within each hour, t2 stays at 30. The rollup covers every complete hour.
        await WriteAsync(Now.AddDays(-10), Now, t1: i => 20 + (i % 12), t2: _ => 30);
        await influx.Client.ExecuteAsync(ns, RollupQuery.Backfill(ns, "lab-1", Hour, Now.AddDays(-10), Now));
    }

    public async Task DisposeAsync() => await host.DisposeAsync();

    [Fact]
    public async Task History_older_than_raw_retention_is_read_from_the_rollup_InfluxDB_computed()
    {
        // Overwrite the old raw points: anything read from raw now says 1000.
        await WriteAsync(Now.AddDays(-10), Now.AddDays(-5), t1: _ => 1000, t2: _ => 1000);

        var mean = await host.GetJsonAsync("/rooms/lab-1/history?metric=temperature&from=now-9d&to=now-6d&step=1h");
        var max = await host.GetJsonAsync("/rooms/lab-1/history?metric=hottest&from=now-9d&to=now-6d&step=3h");
        var count = await host.GetJsonAsync("/rooms/lab-1/history?metric=reporting&from=2026-02-20T00:00:00Z&to=2026-02-23T00:00:00Z&step=1d");

        var source = Assert.Single(mean["sources"]!.AsArray())!;
        Assert.Equal(("lab-1_1h", "rollup", "1h"), (source["policy"]!.GetValue<string>(), source["kind"]!.GetValue<string>(), source["resolution"]!.GetValue<string>()));
        Assert.Equal(72, mean["points"]!.AsArray().Count);
        Assert.All(mean["points"]!.AsArray(), p => Assert.Equal((25.5 + 30) / 2, p!["value"]!.GetValue<double>(), 9));
        Assert.Equal(24, max["points"]!.AsArray().Count);
        Assert.All(max["points"]!.AsArray(), p => Assert.Equal(31.0, p!["value"]!.GetValue<double>()));
        Assert.Equal([576.0, 576.0, 576.0], count["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task Recent_history_at_a_step_no_rollup_serves_is_read_from_raw_points()
    {
        var history = await host.GetJsonAsync("/rooms/lab-1/history?metric=temperature&from=now-1h&step=15m");

        Assert.Equal("lab-1_raw", Assert.Single(history["sources"]!.AsArray())!["policy"]!.GetValue<string>());
        Assert.Equal(
            [(20 + 21 + 22 + 90) / 6.0, (23 + 24 + 25 + 90) / 6.0, (26 + 27 + 28 + 90) / 6.0, (29 + 30 + 31 + 90) / 6.0],
            history["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
    }

    [Fact]
    public async Task A_range_reaching_the_present_reads_complete_hours_from_the_rollup_and_the_last_one_from_raw()
    {
        // A reading in the current, unfinished hour: only raw points have it.
        time.Advance(TimeSpan.FromMinutes(30));
        await host.Get<ITimeSeriesStore>().WriteAsync([new TelemetryPoint(ns, "t1", "lab-1", "thermostat", Now.AddMinutes(10), new Dictionary<string, TelemetryValue> { ["temperature"] = 50.0 })]);
        await host.Get<ITimeSeriesStore>().FlushAsync();

        var history = await host.GetJsonAsync("/rooms/lab-1/history?metric=hottest&from=now-6h&step=1h");

        var sources = history["sources"]!.AsArray();
        Assert.Equal(["lab-1_1h", "lab-1_raw"], sources.Select(s => s!["policy"]!.GetValue<string>()));
        Assert.Equal(Now, sources[1]!["from"]!.GetValue<DateTimeOffset>());
        var points = history["points"]!.AsArray();
        Assert.Equal(Now, points[^1]!["time"]!.GetValue<DateTimeOffset>());
        Assert.Equal(50.0, points[^1]!["value"]!.GetValue<double>());
        Assert.Equal(31.0, points[^2]!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_devices_old_data_is_aggregated_from_the_rollup_and_its_recent_raw_points_are_exact()
    {
        var hourly = await host.GetJsonAsync("/sensors/t1/data?from=now-9d&to=now-8d&step=1h&fields=temperature&aggregate=min");
        var raw = await host.GetJsonAsync("/sensors/t1/data?from=now-15m");

        Assert.Equal("lab-1_1h", Assert.Single(hourly["sources"]!.AsArray())!["policy"]!.GetValue<string>());
        Assert.Equal(24, hourly["points"]!.AsArray().Count);
        Assert.All(hourly["points"]!.AsArray(), p => Assert.Equal(20.0, p!["values"]!["temperature"]!.GetValue<double>()));
        Assert.Equal([29L, 30L, 31L], raw["points"]!.AsArray().Select(p => (long)p!["values"]!["temperature"]!.GetValue<double>()));
        Assert.Equal(Now.AddMinutes(-15), raw["points"]![0]!["time"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task A_report_over_an_old_period_takes_its_statistics_and_uptime_from_the_rollup()
    {
        using var created = await host.Client.PostAsJsonAsync("/analytics/reports", new { from = "now-9d", to = "now-8d" });
        var report = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var lab = Assert.Single(report["rooms"]!.AsArray())!;
        var temperature = lab["metrics"]!.AsArray().Single(m => m!["name"]!.GetValue<string>() == "temperature")!;
        Assert.Equal("lab-1_1h", Assert.Single(temperature["sources"]!.AsArray())!["policy"]!.GetValue<string>());
        Assert.Equal((25.5 + 30) / 2, temperature["value"]!.GetValue<double>(), 9);
        Assert.Equal((20.0, 31.0, 576L), (temperature["min"]!.GetValue<double>(), temperature["max"]!.GetValue<double>(), temperature["count"]!.GetValue<long>()));

        // A 2-minute heartbeat cannot be measured from hourly rollups: uptime is counted per hour.
        var uptime = lab["uptime"]!.AsArray();
        Assert.All(uptime, u => Assert.Equal(("1h", 1.0), (u!["interval"]!.GetValue<string>(), u!["uptime"]!.GetValue<double>())));
    }

    private async Task WriteAsync(DateTimeOffset from, DateTimeOffset to, Func<int, double> t1, Func<int, double> t2)
    {
        var store = host.Get<ITimeSeriesStore>();
        var i = 0;
        for (var at = from; at < to; at += TimeSpan.FromMinutes(5), i++)
        {
            await store.WriteAsync(
            [
                new TelemetryPoint(ns, "t1", "lab-1", "thermostat", at, new Dictionary<string, TelemetryValue> { ["temperature"] = t1(i), ["watts"] = 10L }),
                new TelemetryPoint(ns, "t2", "lab-1", "thermostat", at, new Dictionary<string, TelemetryValue> { ["temperature"] = t2(i), ["watts"] = 20L }),
            ]);
        }

        await store.FlushAsync();
    }
}
