using Iot.Analytics.Inventory;
using Iot.Api.Rooms;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Options;

namespace Iot.Analytics.Live;

/// <summary>One room metric now: its definition, its value (null when no online device reports the field) and how many devices it covers.</summary>
public sealed record RoomMetricValue(string Name, string Field, string Aggregate, double? Value, int Devices);

/// <summary>A room's current state: its devices, how many are online, and each of its metrics.</summary>
public sealed record RoomMetricsNow(string Room, DateTimeOffset AsOf, int Devices, int Online, IReadOnlyList<RoomMetricValue> Metrics);

/// <summary>
/// A room's current metrics (Room.spec.metrics) from <see cref="LiveTelemetry"/>: each metric's aggregate (mean, min,
/// max, sum or count) over the latest value of its field from each of the room's <em>online</em> devices, so a sensor
/// that went silent stops counting once its heartbeat timeout passes. Numbers and integers count; booleans and strings
/// do not. Computed from memory on each call: no store is read.
/// </summary>
public sealed class LiveRoomMetrics(DeviceInventory inventory, LiveTelemetry live, TimeProvider time, IOptions<AnalyticsOptions> options)
{
    private readonly TimeSpan heartbeat = options.Value.DefaultHeartbeatTimeout;

    /// <summary>The current metrics of <paramref name="room"/>.</summary>
    public RoomMetricsNow Current(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        var now = time.GetUtcNow();
        var devices = inventory.DevicesIn(room.Metadata.Name);
        var online = new List<DeviceReadings>(devices.Count);
        foreach (var device in devices)
        {
            var readings = live.Latest(device.Metadata.Name);
            if (readings is not null && DeviceLiveness.IsOnline(device, DeviceLiveness.LastSeen(device, readings), now, heartbeat))
            {
                online.Add(readings);
            }
        }

        var metrics = (room.Spec.Metrics ?? []).Select(metric =>
        {
            var aggregate = metric.Aggregate ?? Aggregate.Mean;
            var values = online.Select(r => r.Fields.GetValueOrDefault(metric.Field))
                .Where(f => f is { Value.Kind: TelemetryValueKind.Number or TelemetryValueKind.Integer })
                .Select(f => f!.Value.AsDouble())
                .ToList();
            return new RoomMetricValue(metric.Name, metric.Field, Name(aggregate), Combine(aggregate, values), values.Count);
        }).ToList();
        return new RoomMetricsNow(room.Metadata.Name, now, devices.Count, online.Count, metrics);
    }

    /// <summary>The lower-case name of an aggregate, as in the Room spec.</summary>
    public static string Name(Aggregate aggregate) => aggregate.ToString().ToLowerInvariant();

    /// <summary>The store function of a Room metric's aggregate.</summary>
    public static AggregateFunction Function(Aggregate? aggregate) => (aggregate ?? Aggregate.Mean) switch
    {
        Aggregate.Min => AggregateFunction.Min,
        Aggregate.Max => AggregateFunction.Max,
        Aggregate.Sum => AggregateFunction.Sum,
        Aggregate.Count => AggregateFunction.Count,
        _ => AggregateFunction.Mean,
    };

    private static double? Combine(Aggregate aggregate, List<double> values) => aggregate switch
    {
        Aggregate.Count => values.Count,
        _ when values.Count == 0 => null,
        Aggregate.Min => values.Min(),
        Aggregate.Max => values.Max(),
        Aggregate.Sum => values.Sum(),
        _ => values.Average(),
    };
}
