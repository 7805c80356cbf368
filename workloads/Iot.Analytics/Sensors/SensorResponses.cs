using Iot.Analytics.History;
using Iot.Analytics.Rejections;

namespace Iot.Analytics.Sensors;

/// <summary>A device as the sensor list shows it: type, room, whether it is online, when it was last heard from and its latest values.</summary>
public sealed record SensorSummary(string Id, string Type, string? Room, bool Online, DateTimeOffset? LastSeen, IReadOnlyDictionary<string, object> Values);

/// <summary>A page of sensors (ordered by id) and the link to the next one.</summary>
public sealed record SensorList(IReadOnlyList<SensorSummary> Items, int Total, string? Next);

/// <summary>One point of a device's history: its time (a bucket's start when aggregated) and field values.</summary>
public sealed record SensorPoint(DateTimeOffset Time, IReadOnlyDictionary<string, object> Values);

/// <summary>
/// A device's history over [from, to): raw points (no <see cref="Step"/>) or one aggregate per step and field, where it
/// was read from, and the link to the next page when the range holds more than one response may.
/// </summary>
public sealed record SensorData(
    string Device,
    string? Room,
    DateTimeOffset From,
    DateTimeOffset To,
    string? Step,
    string? Aggregate,
    IReadOnlyList<ReadSource> Sources,
    DateTimeOffset? RetainedFrom,
    IReadOnlyList<SensorPoint> Points,
    string? Next);

/// <summary>A device's latest rejected messages, newest first.</summary>
public sealed record SensorRejections(string Device, IReadOnlyList<Rejection> Rejections);
