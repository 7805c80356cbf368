namespace Iot.Analytics.Planning;

/// <summary>The steps chosen when a request names none: round sizes people read on a chart axis.</summary>
public static class StepLadder
{
    private static readonly TimeSpan[] Steps =
    [
        TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(30),
        TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(15), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(3), TimeSpan.FromHours(6), TimeSpan.FromHours(12),
        TimeSpan.FromDays(1), TimeSpan.FromDays(7),
    ];

    /// <summary>The smallest step of the ladder that splits <paramref name="range"/> into at most <paramref name="buckets"/> buckets (7 days beyond the ladder: the range over the buckets, rounded up to a day).</summary>
    public static TimeSpan For(TimeSpan range, int buckets)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(buckets, 1);
        foreach (var step in Steps)
        {
            if (range.Ticks <= step.Ticks * buckets)
            {
                return step;
            }
        }

        return TimeSpan.FromDays(Math.Ceiling(range.TotalDays / buckets));
    }
}
