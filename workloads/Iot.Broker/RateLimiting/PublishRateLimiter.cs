namespace Iot.Broker.RateLimiting;

/// <summary>
/// A token bucket per client: <paramref name="ratePerSecond"/> publishes a second with bursts of
/// <paramref name="burst"/>. A publish over the limit is not dropped: it returns how long the publisher must wait, and the
/// broker delays it (and, since that happens in MQTTnet's dispatch, the reading of the publisher's connection) that long.
/// </summary>
public sealed class PublishRateLimiter(double ratePerSecond, int burst, TimeProvider time)
{
    private readonly Lock gate = new();
    private double tokens = burst;
    private DateTimeOffset last = time.GetUtcNow();

    /// <summary>Takes a token; returns zero when one was available, else how long until the publish is within the rate.</summary>
    public TimeSpan Acquire()
    {
        if (ratePerSecond <= 0)
        {
            return TimeSpan.Zero;
        }

        lock (gate)
        {
            var now = time.GetUtcNow();
            tokens = Math.Min(burst, tokens + (Math.Max(0, (now - last).TotalSeconds) * ratePerSecond));
            last = now;
            tokens -= 1;
            return tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / ratePerSecond);
        }
    }
}
