namespace Iot.Storage.TimeSeries;

/// <summary>
/// <paramref name="Function"/> of <paramref name="Fields"/> per <paramref name="Step"/> over [<paramref name="From"/>,
/// <paramref name="To"/>): of one device when <see cref="Device"/> is set, else of every device of
/// <paramref name="Room"/> (null: the devices without a room).
/// </summary>
public sealed record AggregateQuery(
    string Namespace,
    string? Room,
    IReadOnlyList<string> Fields,
    AggregateFunction Function,
    TimeSpan Step,
    DateTimeOffset From,
    DateTimeOffset To)
{
    /// <summary>One device (stored under <see cref="Room"/>); null for the whole room.</summary>
    public string? Device { get; init; }

    /// <summary>
    /// Read the room's rollup policy of this interval (<see cref="RetentionPolicyNames.Rollup"/>: the <c>mean_</c>,
    /// <c>min_</c>, <c>max_</c> and <c>count_</c> fields its continuous query writes) instead of raw points: for ranges
    /// older than the raw retention. Buckets combine the rollup rows exactly (the mean weighted by counts, the sum as
    /// mean × count), so they match raw aggregates when <see cref="Step"/> is a multiple of this interval. Needs a room.
    /// </summary>
    public TimeSpan? Rollup { get; init; }
}
