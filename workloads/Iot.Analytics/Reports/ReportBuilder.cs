using Iot.Analytics.Alerts;
using Iot.Analytics.History;
using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Analytics.Planning;
using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Options;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Reports;

/// <summary>
/// Computes a <see cref="Report"/> from the time-series store (through the planner, so old periods come from rollups),
/// the inventory and the alert source.
/// </summary>
public sealed class ReportBuilder(DeviceInventory inventory, HistoryReader reader, IActiveAlertSource alerts, TimeProvider time, IOptions<AnalyticsOptions> options)
{
    // Enough buckets to combine statistics exactly without reading every point.
    private const int StatisticBuckets = 48;

    // Devices measured at once: each is one count query.
    private const int UptimeParallelism = 4;

    /// <summary>Builds the report of <paramref name="rooms"/> over [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public async Task<Report> BuildAsync(DateTimeOffset from, DateTimeOffset to, IReadOnlyList<Room> rooms, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(rooms);
        var now = time.GetUtcNow();
        var fired = await alerts.CountFiredByRoomAsync(from, to, cancellationToken);
        var reports = new List<RoomReport>();
        foreach (var room in rooms)
        {
            reports.Add(await RoomAsync(room, from, to, now, fired.GetValueOrDefault(room.Metadata.Name), cancellationToken));
        }

        return new Report(Guid.CreateVersion7(now).ToString(), options.Value.Namespace, now, from, to, alerts.Name, reports);
    }

    private async Task<RoomReport> RoomAsync(Room room, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, int alertsFired, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var name = room.Metadata.Name;
        var levels = RoomRetentionLevels.Of(room);
        var plan = QueryPlanner.PlanAutomatic(levels, from, to, StatisticBuckets, now, settings.RollupLag).Plan!;
        var metrics = new List<MetricReport>();
        foreach (var metric in room.Spec.Metrics ?? [])
        {
            var statistics = await RangeStatistics.ReadAsync(reader, settings.Namespace, name, null, metric.Field, plan, cancellationToken);
            metrics.Add(new MetricReport(
                metric.Name, metric.Field, LiveRoomMetrics.Name(metric.Aggregate ?? Aggregate.Mean), statistics.Of(LiveRoomMetrics.Function(metric.Aggregate)),
                statistics.Mean, statistics.Min, statistics.Max, statistics.Count, ReadSource.Of(plan)));
        }

        var devices = inventory.DevicesIn(name);
        var uptime = new DeviceUptime[devices.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, devices.Count),
            new ParallelOptions { MaxDegreeOfParallelism = UptimeParallelism, CancellationToken = cancellationToken },
            async (i, token) => uptime[i] = await UptimeAsync(devices[i], room, levels, from, to < now ? to : now, now, token));
        var measured = uptime.Where(u => u.Uptime is not null).ToList();
        return new RoomReport(
            name, room.Spec.DisplayName, devices.Count, alertsFired, measured.Count == 0 ? null : measured.Average(u => u.Uptime!.Value), metrics, uptime);
    }

    // Uptime: the share of heartbeat-timeout intervals with at least one value (of the device's first numeric field).
    private async Task<DeviceUptime> UptimeAsync(
        Device device, Room room, RoomRetentionLevels levels, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var interval = DeviceLiveness.Timeout(device, settings.DefaultHeartbeatTimeout);
        var field = (device.Spec.Telemetry ?? []).FirstOrDefault(f => f.Type is TelemetryType.Number or TelemetryType.Integer)?.Name
            ?? (device.Spec.Telemetry is { Count: > 0 } ? null : room.Spec.Metrics?.FirstOrDefault()?.Field);
        if (field is null || from >= to)
        {
            return new DeviceUptime(device.Metadata.Name, field, ApiDuration.Format(interval), null);
        }

        var outcome = QueryPlanner.Plan(levels, from, to, interval, now, settings.RollupLag);
        if (outcome.UsableStep is { } usable)
        {
            interval = usable * Math.Max(1, (long)Math.Ceiling(interval / usable));
            outcome = QueryPlanner.Plan(levels, from, to, interval, now, settings.RollupLag);
        }

        var plan = outcome.Plan!;
        var start = plan.RetainedFrom is { } retained && retained > from ? retained : from;
        var buckets = await reader.ReadAsync(settings.Namespace, room.Metadata.Name, device.Metadata.Name, [field], AggregateFunction.Count, plan, cancellationToken);
        var total = Math.Ceiling((to - QueryPlanner.Floor(start, interval)) / interval);
        var up = buckets.Count(b => b.Start >= QueryPlanner.Floor(start, interval) && b.Values.GetValueOrDefault(field) > 0);
        return new DeviceUptime(device.Metadata.Name, field, ApiDuration.Format(interval), total <= 0 ? null : Math.Min(1, up / total));
    }
}
