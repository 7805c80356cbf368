using Iot.Analytics.Alerts;
using Iot.Analytics.History;
using Iot.Analytics.Http;
using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Analytics.Planning;
using Iot.Api.Rooms;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Summary;

/// <summary><c>GET /analytics/summary</c> and <c>/analytics/trends</c>.</summary>
internal static class SummaryEndpoints
{
    /// <summary>Buckets per period for a trend's slope.</summary>
    private const int TrendBuckets = 24;

    public static void MapSummary(this RouteGroupBuilder analytics)
    {
        analytics.MapGet("/summary", Summary).WithName("GetSummary")
            .WithSummary("Devices total, online and offline, telemetry messages per minute, active alerts and every room's current metrics.");
        analytics.MapGet("/trends", TrendsOf).WithName("GetTrends")
            .WithSummary("Per room: a metric over the last period against the one before, its slope, min and max.");
    }

    private static async Task<Ok<AnalyticsSummary>> Summary(
        DeviceInventory inventory, LiveTelemetry live, LiveRoomMetrics rooms, IActiveAlertSource alerts, TimeProvider time,
        IOptions<AnalyticsOptions> options, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var devices = inventory.Devices();
        var heartbeat = options.Value.DefaultHeartbeatTimeout;
        var online = devices.Count(d => DeviceLiveness.IsOnline(d, DeviceLiveness.LastSeen(d, live.Latest(d.Metadata.Name)), now, heartbeat));
        return TypedResults.Ok(new AnalyticsSummary(
            options.Value.Namespace,
            now,
            new DeviceCounts(devices.Count, online, devices.Count - online),
            live.MessagesLastMinute(),
            await alerts.CountActiveAsync(cancellationToken),
            [.. inventory.Rooms().Select(rooms.Current)]));
    }

    private static async Task<Results<Ok<Trends>, ValidationProblem>> TrendsOf(
        DeviceInventory inventory, HistoryReader reader, TimeProvider time, IOptions<AnalyticsOptions> options, CancellationToken cancellationToken,
        string? metric = null, string? period = null)
    {
        var settings = options.Value;
        var problems = new RequestProblems();
        var length = TimeParameters.Duration("period", period, problems) ?? TimeSpan.FromDays(1);
        var rooms = inventory.Rooms().Where(r => (r.Spec.Metrics ?? []).Any(m => m.Name == metric)).ToList();
        if (metric is null)
        {
            problems.Add("metric", "metric is required: name a metric defined by rooms (Room spec.metrics)");
        }
        else if (rooms.Count == 0)
        {
            var known = inventory.Rooms().SelectMany(r => r.Spec.Metrics ?? []).Select(m => m.Name).Distinct().Order(StringComparer.Ordinal).ToList();
            problems.Add("metric", $"no Room defines a metric '{metric}'; " + (known.Count == 0 ? "no Room defines any metric" : "defined metrics: " + string.Join(", ", known)));
        }

        if (problems.Any)
        {
            return problems.ToResult();
        }

        var now = time.GetUtcNow();
        var trends = await Task.WhenAll(rooms.Select(room => TrendAsync(reader, settings, room, metric!, length, now, cancellationToken)));
        return TypedResults.Ok(new Trends(metric!, ApiDuration.Format(length), now - length, now, now - length - length, trends));
    }

    // The current period is [now - length, now), the previous one the same length before it.
    private static async Task<RoomTrend> TrendAsync(
        HistoryReader reader, AnalyticsOptions settings, Room room, string metric, TimeSpan length, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var from = now - length;
        var definition = room.Spec.Metrics!.First(m => m.Name == metric);
        var function = LiveRoomMetrics.Function(definition.Aggregate);
        var levels = RoomRetentionLevels.Of(room);
        var currentPlan = QueryPlanner.PlanAutomatic(levels, from, now, TrendBuckets, now, settings.RollupLag).Plan!;
        var previousPlan = QueryPlanner.PlanAutomatic(levels, from - length, from, TrendBuckets, now, settings.RollupLag).Plan!;
        var current = RangeStatistics.ReadAsync(reader, settings.Namespace, room.Metadata.Name, null, definition.Field, currentPlan, cancellationToken);
        var previous = RangeStatistics.ReadAsync(reader, settings.Namespace, room.Metadata.Name, null, definition.Field, previousPlan, cancellationToken);
        var (currentStats, previousStats) = (await current, await previous);
        var (value, old) = (currentStats.Of(function), previousStats.Of(function));
        double? change = value is { } v && old is { } o ? v - o : null;
        return new RoomTrend(
            room.Metadata.Name, definition.Field, LiveRoomMetrics.Name(definition.Aggregate ?? Aggregate.Mean),
            value, old, change, change is { } c && old is { } p && p != 0 ? 100 * c / Math.Abs(p) : null,
            currentStats.SlopePerHour(), currentStats.Min, currentStats.Max, currentStats.Count, ReadSource.Of(currentPlan));
    }
}
