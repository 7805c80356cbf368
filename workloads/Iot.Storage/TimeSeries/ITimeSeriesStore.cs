namespace Iot.Storage.TimeSeries;

/// <summary>
/// Telemetry over time: ingest writes points, analytics reads raw points and aggregates per time bucket. Implemented
/// over InfluxDB (<see cref="InfluxTimeSeriesStore"/>, production) and SQLite (<see cref="SqliteTimeSeriesStore"/>,
/// the embedded default); both pass the same contract tests.
/// </summary>
/// <remarks>
/// A point is stored in its Room's raw retention policy (<see cref="RetentionPolicyNames.Raw"/>), so reads name the
/// room too: a device's history is found under the room it had when the points were written. Time ranges are
/// half-open, [From, To). Buckets start at multiples of the step since the Unix epoch, as InfluxDB's
/// <c>GROUP BY time()</c>; buckets without data are left out. Reading a namespace, room or field that has no data
/// yet is an empty result, not an error.
/// </remarks>
public interface ITimeSeriesStore
{
    /// <summary>
    /// Accepts points (one, or all a caller has at hand: one hand-over is cheaper than many) for writing in the
    /// background, in batches; returns as soon as they are buffered and waits only when the buffer is full. Points
    /// written here are visible to queries after <see cref="FlushAsync"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A point cannot be stored (no fields, NaN or infinity, an empty name); then none is.</exception>
    ValueTask WriteAsync(IReadOnlyList<TelemetryPoint> points, CancellationToken cancellationToken = default);

    /// <summary>Waits until every point accepted before the call is stored (or dropped for a counted reason).</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);

    /// <summary>A device's raw points in a time range, oldest first (or newest first), at most <see cref="RawQuery.Limit"/>.</summary>
    Task<IReadOnlyList<TelemetryPoint>> QueryRawAsync(RawQuery query, CancellationToken cancellationToken = default);

    /// <summary>One aggregate per time bucket and field, of a device or of a whole room, from raw points or a rollup.</summary>
    Task<IReadOnlyList<AggregateBucket>> QueryAggregateAsync(AggregateQuery query, CancellationToken cancellationToken = default);
}
