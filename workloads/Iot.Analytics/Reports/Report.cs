using Iot.Analytics.History;

namespace Iot.Analytics.Reports;

/// <summary>
/// A report over [<paramref name="From"/>, <paramref name="To"/>): per room, each metric's statistics, the alerts that
/// fired and each device's uptime. Stored as created; reading it again gives the same report.
/// </summary>
public sealed record Report(
    string Id, string Namespace, DateTimeOffset CreatedAt, DateTimeOffset From, DateTimeOffset To, string AlertSource, IReadOnlyList<RoomReport> Rooms);

/// <summary>One room of a report: its devices, alerts fired, mean device uptime, metrics and per-device uptime.</summary>
public sealed record RoomReport(
    string Room, string? DisplayName, int Devices, int AlertsFired, double? MeanUptime, IReadOnlyList<MetricReport> Metrics, IReadOnlyList<DeviceUptime> Uptime);

/// <summary>
/// A room metric over the period: <see cref="Value"/> is the metric's aggregate over every stored value of the room's
/// devices; mean, min, max and count alongside; where it was read from.
/// </summary>
public sealed record MetricReport(
    string Name, string Field, string Aggregate, double? Value, double? Mean, double? Min, double? Max, long Count, IReadOnlyList<ReadSource> Sources);

/// <summary>
/// The share (0 to 1) of the period's intervals of the device's heartbeat timeout in which it stored at least one
/// value of <see cref="Field"/>; null when the device has no numeric field to measure by.
/// </summary>
public sealed record DeviceUptime(string Device, string? Field, string Interval, double? Uptime);

/// <summary>The body of <c>POST /analytics/reports</c>: the period (times as in query parameters; default the last 24 hours) and optionally which rooms (default all).</summary>
public sealed record ReportRequest(string? From, string? To, IReadOnlyList<string>? Rooms);
