using Iot.Analytics.History;
using Iot.Analytics.Reports;

namespace Iot.Analytics.Tests.Reports;

/// <summary>What every report store does; run against PostgreSQL and SQLite.</summary>
public abstract class ReportStoreContract
{
    protected abstract SqlReportStore Store { get; }

    [Fact]
    public async Task Migrations_bring_the_schema_to_the_latest_version_once_even_when_replicas_start_together()
    {
        Assert.Equal(0, await Store.SchemaVersionAsync());

        await Task.WhenAll(Store.MigrateAsync(), Store.MigrateAsync(), Store.MigrateAsync());
        await Store.MigrateAsync();

        Assert.Equal(Store.LatestVersion, await Store.SchemaVersionAsync());
    }

    [Fact]
    public async Task A_saved_report_reads_back_as_it_was_and_only_in_its_namespace()
    {
        await Store.MigrateAsync();
        var from = new DateTimeOffset(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
        var report = new Report(
            Guid.CreateVersion7().ToString(), "ns1", from.AddDays(2), from, from.AddDays(1), "mqtt",
            [new RoomReport("lab-1", "Lab 1", 2, 3, 0.75,
                [new MetricReport("temperature", "temperature", "mean", 21.25, 21.25, 18.5, 24, 2880, [new ReadSource("lab-1_1h", "rollup", "1h", from, from.AddDays(1))])],
                [new DeviceUptime("t1", "temperature", "2m", 1), new DeviceUptime("t2", null, "2m", null)])]);

        await Store.SaveAsync(report);

        var read = await Store.GetAsync("ns1", report.Id);
        Assert.NotNull(read);
        Assert.Equal(report with { Rooms = [] }, read with { Rooms = [] });
        var room = Assert.Single(read.Rooms);
        Assert.Equal((2, 3, 0.75), (room.Devices, room.AlertsFired, room.MeanUptime));
        Assert.Equal(report.Rooms[0].Metrics[0] with { Sources = [] }, room.Metrics[0] with { Sources = [] });
        Assert.Equal(report.Rooms[0].Metrics[0].Sources, room.Metrics[0].Sources);
        Assert.Equal(report.Rooms[0].Uptime, room.Uptime);
        Assert.Null(await Store.GetAsync("other", report.Id));
        Assert.Null(await Store.GetAsync("ns1", Guid.CreateVersion7().ToString()));
    }
}
