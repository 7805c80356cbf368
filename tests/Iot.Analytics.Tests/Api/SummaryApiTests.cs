using Iot.Analytics.Alerts;
using Iot.Storage.Events;

using Microsoft.Extensions.DependencyInjection;

namespace Iot.Analytics.Tests.Api;

public sealed class SummaryApiTests : ApiTest
{
    [Fact]
    public async Task The_summary_counts_devices_online_and_offline_messages_per_minute_and_shows_each_rooms_metrics()
    {
        Live("h1", ("temperature", 15.0));
        Time.Advance(TimeSpan.FromMinutes(5));
        Live("t1", ("temperature", 20.0));
        Live("t1", ("temperature", 22.0));

        var summary = await Host.GetJsonAsync("/analytics/summary");

        Assert.Equal("ns1", summary["namespace"]!.GetValue<string>());
        Assert.Equal((3, 1, 2), (summary["devices"]!["total"]!.GetValue<int>(), summary["devices"]!["online"]!.GetValue<int>(), summary["devices"]!["offline"]!.GetValue<int>()));
        Assert.Equal(2, summary["messagesPerMinute"]!.GetValue<int>());
        Assert.Equal(0, summary["activeAlerts"]!.GetValue<int>());
        var rooms = summary["rooms"]!.AsArray();
        Assert.Equal(["hall", "lab-1"], rooms.Select(r => r!["room"]!.GetValue<string>()));
        Assert.Equal(22.0, rooms[1]!["metrics"]![0]!["value"]!.GetValue<double>());
        Assert.Null(rooms[0]!["metrics"]![0]!["value"]);
    }

    [Fact]
    public async Task Active_alerts_come_from_the_alert_source()
    {
        await using var host = await AnalyticsHost.StartAsync(Time, services: s => s.AddSingleton<IActiveAlertSource>(new ThreeFiring()));

        Assert.Equal(3, (await host.GetJsonAsync("/analytics/summary"))["activeAlerts"]!.GetValue<int>());
    }

    [Fact]
    public async Task With_alerts_from_events_active_alerts_are_read_from_notifys_event_store()
    {
        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "events.db");
        await using (var events = new SqliteEventStore(path))
        {
            await events.MigrateAsync();
            var fingerprint = Iot.Api.Alerts.AlertEvent.FingerprintOf(AnalyticsHost.Namespace, "hot", "t1");
            await events.SaveAlertAsync(
                new StoredAlert { Fingerprint = fingerprint, Namespace = AnalyticsHost.Namespace, Rule = "hot", Device = "t1", Room = "lab-1", Status = "firing", StartsAt = Now, UpdatedAt = Now },
                new EventRecord { At = Now, Type = "alert.firing", Fingerprint = fingerprint, Message = "hot fired" });
        }

        await using var host = await AnalyticsHost.StartAsync(Time, new Dictionary<string, string?> { ["Analytics:Alerts:Source"] = "events", ["Analytics:Alerts:SqlitePath"] = path });

        Assert.Equal(1, (await host.GetJsonAsync("/analytics/summary"))["activeAlerts"]!.GetValue<int>());
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    }

    [Fact]
    public async Task Trends_compare_the_period_with_the_one_before_per_room()
    {
        // lab-1: 20 °C the day before, rising from 20 to 23 over the last day; hall: flat 15.
        await StoreAsync("t1", "lab-1", Now.AddDays(-2), Now.AddDays(-1), TimeSpan.FromHours(1), i => 20);
        await StoreAsync("t1", "lab-1", Now.AddDays(-1), Now, TimeSpan.FromHours(1), i => 20 + (i / 8.0));
        await StoreAsync("h1", "hall", Now.AddDays(-2), Now, TimeSpan.FromHours(1), i => 15);

        var trends = await Host.GetJsonAsync("/analytics/trends?metric=temperature&period=1d");

        Assert.Equal(("temperature", "1d"), (trends["metric"]!.GetValue<string>(), trends["period"]!.GetValue<string>()));
        Assert.Equal(Now.AddDays(-1), trends["from"]!.GetValue<DateTimeOffset>());
        var rooms = trends["rooms"]!.AsArray();
        var lab = rooms.Single(r => r!["room"]!.GetValue<string>() == "lab-1")!;
        var expectedMean = Enumerable.Range(0, 24).Average(i => 20 + (i / 8.0));
        Assert.Equal(expectedMean, lab["current"]!.GetValue<double>(), 9);
        Assert.Equal(20.0, lab["previous"]!.GetValue<double>());
        Assert.Equal(expectedMean - 20, lab["change"]!.GetValue<double>(), 9);
        Assert.Equal(100 * (expectedMean - 20) / 20, lab["changePercent"]!.GetValue<double>(), 9);
        Assert.Equal(0.125, lab["slopePerHour"]!.GetValue<double>(), 9);
        Assert.Equal((20.0, 22.875, 24L), (lab["min"]!.GetValue<double>(), lab["max"]!.GetValue<double>(), lab["samples"]!.GetValue<long>()));
        var hall = rooms.Single(r => r!["room"]!.GetValue<string>() == "hall")!;
        Assert.Equal((0.0, 0.0), (hall["change"]!.GetValue<double>(), hall["slopePerHour"]!.GetValue<double>()));
    }

    [Theory]
    [InlineData("/analytics/trends", "metric is required")]
    [InlineData("/analytics/trends?metric=humidity", "no Room defines a metric 'humidity'; defined metrics: hottest, power, reporting, temperature")]
    [InlineData("/analytics/trends?metric=temperature&period=-1d", "period: '-1d' is not a duration")]
    public async Task Bad_trend_requests_are_answered_with_a_problem(string path, string says)
    {
        var problem = await Host.GetProblemAsync(path, 400);

        Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    private sealed class ThreeFiring : IActiveAlertSource
    {
        public string Name => "test";

        public ValueTask<int> CountActiveAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(3);

        public ValueTask<IReadOnlyDictionary<string, int>> CountFiredByRoomAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>());
    }
}
