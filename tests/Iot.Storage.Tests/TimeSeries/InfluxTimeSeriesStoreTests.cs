using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Storage.Tests.TimeSeries;

[Collection(InfluxCollection.Name)]
public sealed class InfluxTimeSeriesStoreTests : TimeSeriesStoreContract, IAsyncLifetime
{
    private readonly InfluxFixture influx;
    private readonly InfluxPointWriter writer;

    public InfluxTimeSeriesStoreTests(InfluxFixture influx)
    {
        this.influx = influx;
        writer = new InfluxPointWriter(influx.Client, new InfluxWriterOptions(), TimeProvider.System, NullLogger<InfluxPointWriter>.Instance);
        Store = new InfluxTimeSeriesStore(influx.Client, writer);
    }

    protected override ITimeSeriesStore Store { get; }

    [Fact]
    public async Task Points_are_stored_in_the_rooms_raw_policy_as_measurement_telemetry_tagged_device_room_and_type()
    {
        var ns = await NewNamespaceAsync("lab-1");
        await Store.WriteAsync([Point(ns, "d1", "lab-1", 0, ("temperature", 21.5))]);
        await Store.FlushAsync();

        var series = Assert.Single(await influx.Client.QueryAsync(ns, "SELECT * FROM \"lab-1_raw\".telemetry"));

        Assert.Equal(["time", "device", "room", "temperature", "type"], series.Columns);
        Assert.Equal([LineProtocol.ToEpoch(Start, InfluxPrecision.Nanoseconds), "d1", "lab-1", 21.5, "thermostat"], series.Values[0]);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await writer.DisposeAsync();

    protected override async Task<string> NewNamespaceAsync(params string?[] rooms)
    {
        var ns = await influx.CreateDatabaseAsync("ns");
        foreach (var room in rooms)
        {
            await influx.Client.CreateRetentionPolicyAsync(ns, new RetentionPolicy(RetentionPolicyNames.Raw(room), TimeSpan.Zero, TimeSpan.Zero));
            if (room is not null)
            {
                await influx.Client.CreateRetentionPolicyAsync(ns, new RetentionPolicy(RetentionPolicyNames.Rollup(room, TimeSpan.FromMinutes(5)), TimeSpan.Zero, TimeSpan.Zero));
            }
        }

        return ns;
    }

    protected override Task MaterializeRollupAsync(string ns, string room, TimeSpan every, DateTimeOffset from, DateTimeOffset to) =>
        influx.Client.ExecuteAsync(ns, RollupQuery.Backfill(ns, room, every, from, to));
}
