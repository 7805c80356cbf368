using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Options;

namespace Iot.Analytics.Tests.Live;

public sealed class LiveRoomMetricsTests
{
    private readonly ManualTimeProvider time = new();
    private readonly DeviceInventory inventory = new();
    private readonly LiveTelemetry live;
    private readonly LiveRoomMetrics metrics;

    public LiveRoomMetricsTests()
    {
        live = new LiveTelemetry(time);
        metrics = new LiveRoomMetrics(inventory, live, time, Options.Create(new AnalyticsOptions { DefaultHeartbeatTimeout = TimeSpan.FromMinutes(2) }));
        inventory.Put(Resources.Room("lab-1"));
        inventory.Put(Resources.Device("t1", "lab-1"));
        inventory.Put(Resources.Device("t2", "lab-1"));
        inventory.Put(Resources.Device("t3", "lab-1", heartbeat: "10m"));
        inventory.Put(Resources.Device("elsewhere", "hall"));
    }

    [Fact]
    public void Each_metric_aggregates_the_latest_value_of_each_online_device()
    {
        Send("t1", ("temperature", 20.0), ("watts", 100L));
        Send("t1", ("temperature", 22.0));
        Send("t2", ("temperature", 26.0), ("watts", 50L));
        Send("elsewhere", ("temperature", 99.0));

        var now = metrics.Current(inventory.Room("lab-1")!);

        Assert.Equal((3, 2), (now.Devices, now.Online));
        Assert.Equal(24.0, Value(now, "temperature"));
        Assert.Equal(26.0, Value(now, "hottest"));
        Assert.Equal(150.0, Value(now, "power"));
        Assert.Equal(2.0, Value(now, "reporting"));
        Assert.Equal(2, now.Metrics.Single(m => m.Name == "temperature").Devices);
    }

    [Fact]
    public void A_device_stops_counting_once_its_heartbeat_timeout_passes_without_a_message()
    {
        Send("t1", ("temperature", 20.0));
        Send("t3", ("temperature", 30.0));
        time.Advance(TimeSpan.FromMinutes(3));
        Send("t2", ("temperature", 24.0));

        var now = metrics.Current(inventory.Room("lab-1")!);

        // t1 (2m timeout) is offline, t3 (10m) and t2 are online.
        Assert.Equal(2, now.Online);
        Assert.Equal(27.0, Value(now, "temperature"));
    }

    [Fact]
    public void A_metric_no_online_device_reports_has_no_value_and_a_count_of_zero()
    {
        var now = metrics.Current(inventory.Room("lab-1")!);

        Assert.Null(Value(now, "temperature"));
        Assert.Equal(0.0, Value(now, "reporting"));
        Assert.Equal(0, now.Online);
    }

    [Fact]
    public void A_late_message_does_not_replace_a_newer_value()
    {
        live.Record("t1", new TelemetryReading(time.GetUtcNow(), new Dictionary<string, TelemetryValue> { ["temperature"] = 21.0 }));
        live.Record("t1", new TelemetryReading(time.GetUtcNow().AddMinutes(-5), new Dictionary<string, TelemetryValue> { ["temperature"] = 5.0, ["watts"] = 7L }));

        var readings = live.Latest("t1")!;
        Assert.Equal(21.0, readings.Fields["temperature"].Value.AsDouble());
        Assert.Equal(7L, readings.Fields["watts"].Value.AsInteger());
    }

    [Fact]
    public void The_message_rate_counts_the_last_sixty_seconds()
    {
        Send("t1", ("temperature", 1.0));
        time.Advance(TimeSpan.FromSeconds(30));
        Send("t1", ("temperature", 2.0));
        Send("t2", ("temperature", 2.0));
        Assert.Equal(3, live.MessagesLastMinute());

        time.Advance(TimeSpan.FromSeconds(31));
        Assert.Equal(2, live.MessagesLastMinute());
    }

    private void Send(string device, params (string Field, TelemetryValue Value)[] fields) =>
        live.Record(device, new TelemetryReading(time.GetUtcNow(), fields.ToDictionary(f => f.Field, f => f.Value)));

    private static double? Value(RoomMetricsNow now, string metric) => now.Metrics.Single(m => m.Name == metric).Value;
}
