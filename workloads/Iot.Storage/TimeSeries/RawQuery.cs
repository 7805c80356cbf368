namespace Iot.Storage.TimeSeries;

/// <summary>
/// A device's raw points: <paramref name="Device"/> in <paramref name="Namespace"/>, stored under
/// <paramref name="Room"/>'s raw policy (null: no room), with timestamps in [<paramref name="From"/>, <paramref name="To"/>).
/// </summary>
public sealed record RawQuery(string Namespace, string Device, string? Room, DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The fields to return; all when null. Points that have none of them are left out.</summary>
    public IReadOnlyList<string>? Fields { get; init; }

    /// <summary>The most points returned.</summary>
    public int Limit { get; init; } = 1_000;

    /// <summary>Newest first (with <see cref="Limit"/> 1: the latest point).</summary>
    public bool NewestFirst { get; init; }
}
