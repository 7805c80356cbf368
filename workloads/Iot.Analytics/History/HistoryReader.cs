using System.Diagnostics;

using Iot.Analytics.Planning;
using Iot.Storage.TimeSeries;

namespace Iot.Analytics.History;

/// <summary>Runs a <see cref="QueryPlan"/> against the time-series store: one aggregate query per segment, buckets in time order.</summary>
public sealed class HistoryReader(ITimeSeriesStore store, AnalyticsMetrics metrics)
{
    /// <summary>The buckets of <paramref name="function"/> over <paramref name="fields"/> of a room (or of one device of it, <paramref name="device"/>).</summary>
    public async Task<IReadOnlyList<AggregateBucket>> ReadAsync(
        string ns, string? room, string? device, IReadOnlyList<string> fields, AggregateFunction function, QueryPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var parts = await Task.WhenAll(plan.Segments.Select(async segment =>
        {
            var started = Stopwatch.GetTimestamp();
            var query = new AggregateQuery(ns, room, fields, function, plan.Step, segment.From, segment.To) { Device = device, Rollup = segment.Level.Every };
            var buckets = await store.QueryAggregateAsync(query, cancellationToken);
            metrics.StoreQueried(segment.Level.IsRaw ? "raw" : "rollup", Stopwatch.GetElapsedTime(started));
            return buckets;
        }));
        return parts.Length == 1 ? parts[0] : [.. parts.SelectMany(p => p)];
    }
}
