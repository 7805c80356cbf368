using Iot.Analytics.History;
using Iot.Analytics.Live;

namespace Iot.Analytics.Summary;

/// <summary>How many devices there are, and how many are online and offline now.</summary>
public sealed record DeviceCounts(int Total, int Online, int Offline);

/// <summary>The namespace at a glance: devices, telemetry rate, active alerts and every room's current metrics.</summary>
public sealed record AnalyticsSummary(string Namespace, DateTimeOffset AsOf, DeviceCounts Devices, int MessagesPerMinute, int ActiveAlerts, IReadOnlyList<RoomMetricsNow> Rooms);

/// <summary>
/// One room's trend of a metric: its value (the metric's aggregate) over the current and the previous period, the
/// change between them (absolute and in percent of the previous value), the slope of the bucket means in units per
/// hour over the current period, the current period's min and max, and how many values it holds.
/// </summary>
public sealed record RoomTrend(
    string Room,
    string Field,
    string Aggregate,
    double? Current,
    double? Previous,
    double? Change,
    double? ChangePercent,
    double? SlopePerHour,
    double? Min,
    double? Max,
    long Samples,
    IReadOnlyList<ReadSource> Sources);

/// <summary>A metric's trend in every room that defines it: current period [from, to), previous [previousFrom, from).</summary>
public sealed record Trends(string Metric, string Period, DateTimeOffset From, DateTimeOffset To, DateTimeOffset PreviousFrom, IReadOnlyList<RoomTrend> Rooms);
