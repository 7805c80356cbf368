using Iot.Analytics.Planning;

namespace Iot.Analytics.History;

/// <summary>
/// Bounds a bucketed read to at most a number of buckets: the page ends after that many buckets (counted from the
/// bucket holding the start), and the next page starts there.
/// </summary>
public static class HistoryPage
{
    /// <summary>The end of the page starting at <paramref name="from"/>, and whether the range goes on after it.</summary>
    public static (DateTimeOffset To, bool More) Bound(DateTimeOffset from, DateTimeOffset to, TimeSpan step, int maxBuckets)
    {
        var first = QueryPlanner.Floor(from, step);
        var buckets = (to - first).Ticks / (double)step.Ticks;
        if (buckets <= maxBuckets)
        {
            return (to, false);
        }

        return (first + (step * maxBuckets), true);
    }
}
