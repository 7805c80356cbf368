using Iot.Analytics.History;

namespace Iot.Analytics.Rooms;

/// <summary>A rollup level of a room: its interval and how long it is kept.</summary>
public sealed record RoomRollup(string Every, string Keep);

/// <summary>How long a room's telemetry is kept, raw and rolled up.</summary>
public sealed record RoomRetentionSummary(string Raw, IReadOnlyList<RoomRollup> Rollups);

/// <summary>A room as the room list shows it.</summary>
public sealed record RoomSummary(
    string Id, string? DisplayName, string? Building, int? Floor, int? Capacity, int Devices, int Online, IReadOnlyList<string> Metrics, RoomRetentionSummary Retention);

/// <summary>A page of rooms (ordered by id) and the link to the next one.</summary>
public sealed record RoomList(IReadOnlyList<RoomSummary> Items, int Total, string? Next);

/// <summary>One bucket of a room metric's history: its start and the metric's aggregate over the room's values in it.</summary>
public sealed record RoomHistoryPoint(DateTimeOffset Time, double Value);

/// <summary>
/// A room metric over [from, to) in buckets of <see cref="Step"/>: the metric's aggregate over every value the room's
/// devices stored in each bucket; where it was read from (the planner's choice), and the link to the next page.
/// </summary>
public sealed record RoomHistory(
    string Room,
    string Metric,
    string Field,
    string Aggregate,
    DateTimeOffset From,
    DateTimeOffset To,
    string Step,
    IReadOnlyList<ReadSource> Sources,
    DateTimeOffset? RetainedFrom,
    IReadOnlyList<RoomHistoryPoint> Points,
    string? Next);
