using Iot.Analytics.Planning;
using Iot.Storage.TimeSeries;

namespace Iot.Analytics.History;

/// <summary>One field's statistics over a time range: count-weighted mean, min, max, sum and count of every stored value, and the per-bucket means.</summary>
public sealed record RangeStatistics(double? Mean, double? Min, double? Max, double Sum, long Count, IReadOnlyList<(DateTimeOffset Start, double Mean)> Buckets)
{
    /// <summary>No values in the range.</summary>
    public static readonly RangeStatistics Empty = new(null, null, null, 0, 0, []);

    /// <summary>The value of <paramref name="function"/> over the range (null when there are no values; count is 0 then).</summary>
    public double? Of(AggregateFunction function) => function switch
    {
        AggregateFunction.Mean => Mean,
        AggregateFunction.Min => Min,
        AggregateFunction.Max => Max,
        AggregateFunction.Sum => Count == 0 ? null : Sum,
        _ => Count,
    };

    /// <summary>
    /// The least-squares slope of the bucket means against time, per hour (null with fewer than two buckets): which
    /// way and how fast the field moved over the range.
    /// </summary>
    public double? SlopePerHour()
    {
        if (Buckets.Count < 2)
        {
            return null;
        }

        var origin = Buckets[0].Start;
        var xs = Buckets.Select(b => (b.Start - origin).TotalHours).ToArray();
        var ys = Buckets.Select(b => b.Mean).ToArray();
        double meanX = xs.Average(), meanY = ys.Average();
        var covariance = xs.Zip(ys, (x, y) => (x - meanX) * (y - meanY)).Sum();
        var variance = xs.Sum(x => (x - meanX) * (x - meanX));
        return variance == 0 ? null : covariance / variance;
    }

    /// <summary>
    /// Reads the statistics of <paramref name="field"/> over the plan's range of a room
    /// (or one device of it): the mean, min, max and count per bucket of the plan's step, combined exactly.
    /// </summary>
    public static async Task<RangeStatistics> ReadAsync(
        HistoryReader reader, string ns, string? room, string? device, string field, QueryPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        string[] fields = [field];
        var mean = reader.ReadAsync(ns, room, device, fields, AggregateFunction.Mean, plan, cancellationToken);
        var min = reader.ReadAsync(ns, room, device, fields, AggregateFunction.Min, plan, cancellationToken);
        var max = reader.ReadAsync(ns, room, device, fields, AggregateFunction.Max, plan, cancellationToken);
        var count = reader.ReadAsync(ns, room, device, fields, AggregateFunction.Count, plan, cancellationToken);
        await Task.WhenAll(mean, min, max, count);

        var counts = (await count).Where(b => b.Values.ContainsKey(field)).ToDictionary(b => b.Start, b => b.Values[field]);
        var means = (await mean).Where(b => b.Values.ContainsKey(field) && counts.ContainsKey(b.Start)).Select(b => (b.Start, Mean: b.Values[field])).ToList();
        if (means.Count == 0)
        {
            return Empty;
        }

        var total = means.Sum(b => counts[b.Start]);
        var sum = means.Sum(b => b.Mean * counts[b.Start]);
        return new RangeStatistics(
            sum / total,
            (await min).Where(b => b.Values.ContainsKey(field)).Min(b => b.Values[field]),
            (await max).Where(b => b.Values.ContainsKey(field)).Max(b => b.Values[field]),
            sum,
            (long)total,
            means);
    }
}
