namespace Iot.Storage.Events;

/// <summary>
/// The last notification of an aggregation group: which alerts it reported firing and when. Kept so a restart neither
/// repeats a notification early nor forgets to send the resolved one.
/// </summary>
public sealed record GroupLogEntry(string GroupKey, string Route, IReadOnlyList<string> Firing, DateTimeOffset SentAt);
