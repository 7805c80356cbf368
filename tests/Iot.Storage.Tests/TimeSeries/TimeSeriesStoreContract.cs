using Iot.Storage.TimeSeries;

namespace Iot.Storage.Tests.TimeSeries;

/// <summary>What every <see cref="ITimeSeriesStore"/> does; run against InfluxDB and SQLite by the subclasses.</summary>
public abstract class TimeSeriesStoreContract
{
    protected static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    protected abstract ITimeSeriesStore Store { get; }

    [Fact]
    public async Task Raw_points_come_back_oldest_first_with_their_value_kinds()
    {
        var ns = await NewNamespaceAsync("lab-1");
        await WriteAsync(Point(ns, "d1", "lab-1", 0, ("temperature", 21.5), ("steps", 42L), ("door", true), ("note", "a \"quoted\", spaced note")));
        await WriteAsync(Point(ns, "d1", "lab-1", 1, ("temperature", 20.0), ("steps", -7L)));

        var points = await Store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, Start.AddHours(1)));

        Assert.Equal(2, points.Count);
        var first = points[0];
        Assert.Equal((ns, "d1", "lab-1", "thermostat", Start), (first.Namespace, first.Device, first.Room, first.Type, first.Timestamp));
        Assert.Equal(TelemetryValue.Number(21.5), first.Fields["temperature"]);
        Assert.Equal(TelemetryValue.Integer(42), first.Fields["steps"]);
        Assert.Equal(TelemetryValue.Boolean(true), first.Fields["door"]);
        Assert.Equal(TelemetryValue.String("a \"quoted\", spaced note"), first.Fields["note"]);
        Assert.Equal(TelemetryValue.Number(20.0), points[1].Fields["temperature"]);
        Assert.Equal(Start.AddSeconds(1), points[1].Timestamp);
        Assert.Equal(TelemetryValue.Integer(-7), points[1].Fields["steps"]);
    }

    [Fact]
    public async Task A_raw_range_is_half_open_selects_fields_and_is_limited()
    {
        var ns = await NewNamespaceAsync("lab-1");
        for (var s = 0; s < 10; s++)
        {
            await WriteAsync(Point(ns, "d1", "lab-1", s, ("temperature", s), ("humidity", 100 - s)));
        }

        var points = await Store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start.AddSeconds(2), Start.AddSeconds(8)) { Fields = ["humidity"], Limit = 4 });

        Assert.Equal([2, 3, 4, 5], points.Select(p => (int)(p.Timestamp - Start).TotalSeconds));
        Assert.All(points, p => Assert.Equal(["humidity"], p.Fields.Keys));
        Assert.Equal(98.0, points[0].Fields["humidity"].AsDouble());
    }

    [Fact]
    public async Task Newest_first_with_limit_one_is_the_latest_point()
    {
        var ns = await NewNamespaceAsync("lab-1");
        for (var s = 0; s < 5; s++)
        {
            await WriteAsync(Point(ns, "d1", "lab-1", s, ("temperature", s)));
        }

        var latest = Assert.Single(await Store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, Start.AddDays(1)) { NewestFirst = true, Limit = 1 }));

        Assert.Equal(Start.AddSeconds(4), latest.Timestamp);
    }

    [Fact]
    public async Task A_device_reads_only_its_own_points_in_its_own_namespace()
    {
        var ns = await NewNamespaceAsync("lab-1");
        var other = await NewNamespaceAsync("lab-1");
        await WriteAsync(Point(ns, "d1", "lab-1", 0, ("temperature", 1.0)));
        await WriteAsync(Point(ns, "d2", "lab-1", 0, ("temperature", 2.0)));
        await WriteAsync(Point(other, "d1", "lab-1", 0, ("temperature", 3.0)));

        var point = Assert.Single(await Store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, Start.AddHours(1))));

        Assert.Equal(1.0, point.Fields["temperature"].AsDouble());
    }

    [Fact]
    public async Task Devices_without_a_room_are_stored_and_read_without_one()
    {
        var ns = await NewNamespaceAsync([null]);
        await WriteAsync(Point(ns, "loose", null, 0, ("temperature", 5.0)));

        var point = Assert.Single(await Store.QueryRawAsync(new RawQuery(ns, "loose", null, Start, Start.AddHours(1))));
        var buckets = await Store.QueryAggregateAsync(new AggregateQuery(ns, null, ["temperature"], AggregateFunction.Count, TimeSpan.FromHours(1), Start, Start.AddHours(1)));

        Assert.Null(point.Room);
        Assert.Equal(1.0, Assert.Single(buckets).Values["temperature"]);
    }

    [Fact]
    public async Task Points_written_together_are_each_stored_under_their_own_room_and_namespace()
    {
        var ns = await NewNamespaceAsync("lab-1", "lab-2", null);
        var other = await NewNamespaceAsync("lab-1");
        await Store.WriteAsync(
        [
            Point(ns, "d1", "lab-1", 0, ("temperature", 1.0)),
            Point(ns, "d1", "lab-1", 1, ("temperature", 2.0)),
            Point(ns, "d2", "lab-2", 0, ("temperature", 3.0)),
            Point(ns, "d3", null, 0, ("temperature", 4.0)),
            Point(other, "d1", "lab-1", 0, ("temperature", 5.0)),
            Point(ns, "d1", "lab-1", 2, ("temperature", 6.0)),
        ]);
        await Store.FlushAsync();

        Assert.Equal([1.0, 2.0, 6.0], (await Store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, Start.AddHours(1)))).Select(p => p.Fields["temperature"].AsDouble()));
        Assert.Equal(3.0, Assert.Single(await Store.QueryRawAsync(new RawQuery(ns, "d2", "lab-2", Start, Start.AddHours(1)))).Fields["temperature"].AsDouble());
        Assert.Equal(4.0, Assert.Single(await Store.QueryRawAsync(new RawQuery(ns, "d3", null, Start, Start.AddHours(1)))).Fields["temperature"].AsDouble());
        Assert.Equal(5.0, Assert.Single(await Store.QueryRawAsync(new RawQuery(other, "d1", "lab-1", Start, Start.AddHours(1)))).Fields["temperature"].AsDouble());
    }

    [Fact]
    public async Task A_batch_with_one_point_that_cannot_be_stored_is_refused_whole()
    {
        var ns = await NewNamespaceAsync("lab-1");
        var empty = new TelemetryPoint(ns, "d1", "lab-1", "thermostat", Start.AddSeconds(1), new Dictionary<string, TelemetryValue>());

        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.WriteAsync([Point(ns, "d1", "lab-1", 0, ("temperature", 1.0)), empty]));
        await Store.FlushAsync();

        Assert.Empty(await Store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, Start.AddHours(1))));
    }

    [Fact]
    public async Task Writing_the_same_point_twice_stores_it_once()
    {
        var ns = await NewNamespaceAsync("lab-1");
        await WriteAsync(Point(ns, "d1", "lab-1", 0, ("temperature", 1.0)));
        await WriteAsync(Point(ns, "d1", "lab-1", 0, ("temperature", 1.0)));

        Assert.Single(await Store.QueryRawAsync(new RawQuery(ns, "d1", "lab-1", Start, Start.AddHours(1))));
    }

    [Fact]
    public async Task Nothing_written_yet_reads_as_empty()
    {
        Assert.Empty(await Store.QueryRawAsync(new RawQuery("never-written", "d1", "lab-1", Start, Start.AddHours(1))));
        Assert.Empty(await Store.QueryAggregateAsync(new AggregateQuery("never-written", "lab-1", ["t"], AggregateFunction.Mean, TimeSpan.FromMinutes(1), Start, Start.AddHours(1))));
    }

    [Theory]
    [InlineData(AggregateFunction.Mean, 12.5, 35.0)]
    [InlineData(AggregateFunction.Min, 10.0, 30.0)]
    [InlineData(AggregateFunction.Max, 15.0, 40.0)]
    [InlineData(AggregateFunction.Sum, 25.0, 70.0)]
    [InlineData(AggregateFunction.Count, 2.0, 2.0)]
    public async Task A_devices_aggregate_has_one_value_per_bucket_and_field(AggregateFunction function, double first, double second)
    {
        var ns = await NewNamespaceAsync("lab-1");
        await WriteAsync(Point(ns, "d1", "lab-1", 10, ("temperature", 10.0), ("steps", 1L)));
        await WriteAsync(Point(ns, "d1", "lab-1", 50, ("temperature", 15.0)));
        await WriteAsync(Point(ns, "d1", "lab-1", 130, ("temperature", 30.0)));
        await WriteAsync(Point(ns, "d1", "lab-1", 170, ("temperature", 40.0)));
        await WriteAsync(Point(ns, "d2", "lab-1", 20, ("temperature", 1000.0)));

        var buckets = await Store.QueryAggregateAsync(
            new AggregateQuery(ns, "lab-1", ["temperature"], function, TimeSpan.FromMinutes(1), Start, Start.AddMinutes(5)) { Device = "d1" });

        Assert.Equal([Start, Start.AddMinutes(2)], buckets.Select(b => b.Start));
        Assert.Equal(first, buckets[0].Values["temperature"], 9);
        Assert.Equal(second, buckets[1].Values["temperature"], 9);
    }

    [Fact]
    public async Task A_rooms_aggregate_combines_its_devices_and_leaves_out_fields_without_values()
    {
        var ns = await NewNamespaceAsync("lab-1", "lab-2");
        await WriteAsync(Point(ns, "d1", "lab-1", 0, ("temperature", 20.0)));
        await WriteAsync(Point(ns, "d2", "lab-1", 30, ("temperature", 24.0), ("co2", 400L)));
        await WriteAsync(Point(ns, "d3", "lab-1", 70, ("temperature", 30.0)));
        await WriteAsync(Point(ns, "d4", "lab-2", 10, ("temperature", 99.0)));

        var buckets = await Store.QueryAggregateAsync(new AggregateQuery(ns, "lab-1", ["temperature", "co2"], AggregateFunction.Mean, TimeSpan.FromMinutes(1), Start, Start.AddMinutes(2)));

        Assert.Equal(2, buckets.Count);
        Assert.Equal(22.0, buckets[0].Values["temperature"], 9);
        Assert.Equal(400.0, buckets[0].Values["co2"], 9);
        Assert.Equal(30.0, buckets[1].Values["temperature"], 9);
        Assert.False(buckets[1].Values.ContainsKey("co2"));
    }

    [Theory]
    [InlineData(AggregateFunction.Mean)]
    [InlineData(AggregateFunction.Min)]
    [InlineData(AggregateFunction.Max)]
    [InlineData(AggregateFunction.Sum)]
    [InlineData(AggregateFunction.Count)]
    public async Task A_rollup_read_gives_the_raw_aggregate_when_the_step_is_a_multiple_of_its_interval(AggregateFunction function)
    {
        var ns = await NewNamespaceAsync("lab-1");
        var every = TimeSpan.FromMinutes(5);
        var values = new[] { 10.0, 11.0, 30.0, 12.0, 50.0, 13.0, 14.0 };
        for (var i = 0; i < values.Length; i++)
        {
            await WriteAsync(Point(ns, $"d{i % 2}", "lab-1", i * 170, ("temperature", values[i])));
        }

        await MaterializeRollupAsync(ns, "lab-1", every, Start, Start.AddHours(1));
        var query = new AggregateQuery(ns, "lab-1", ["temperature"], function, TimeSpan.FromMinutes(10), Start, Start.AddHours(1));

        var raw = await Store.QueryAggregateAsync(query);
        var rolledUp = await Store.QueryAggregateAsync(query with { Rollup = every });

        Assert.Equal(raw.Select(b => b.Start), rolledUp.Select(b => b.Start));
        Assert.Equal(raw.Select(b => b.Values["temperature"]), rolledUp.Select(b => b.Values["temperature"]), (a, b) => Math.Abs(a - b) < 1e-9);
    }

    [Fact]
    public async Task A_point_without_fields_is_refused()
    {
        var point = new TelemetryPoint("ns", "d1", null, "thermostat", Start, new Dictionary<string, TelemetryValue>());

        await Assert.ThrowsAsync<ArgumentException>(async () => await Store.WriteAsync([point]));
    }

    /// <summary>A namespace nobody used, ready for points of these rooms (null: devices without a room).</summary>
    protected abstract Task<string> NewNamespaceAsync(params string?[] rooms);

    /// <summary>Makes the room's rollup of this interval hold the range (InfluxDB: what its continuous query would write).</summary>
    protected abstract Task MaterializeRollupAsync(string ns, string room, TimeSpan every, DateTimeOffset from, DateTimeOffset to);

    protected static TelemetryPoint Point(string ns, string device, string? room, int second, params (string Name, TelemetryValue Value)[] fields) =>
        new(ns, device, room, "thermostat", Start.AddSeconds(second), fields.ToDictionary(f => f.Name, f => f.Value));

    private async Task WriteAsync(TelemetryPoint point)
    {
        await Store.WriteAsync([point]);
        await Store.FlushAsync();
    }
}
