namespace Iot.Rules.Conditions;

/// <summary>
/// Message time as ticks since the Unix epoch, so windows and panes align on the epoch like InfluxDB's
/// <c>GROUP BY time()</c>: a 5m window ends at :00, :05, :10 of every hour.
/// </summary>
internal static class EventTime
{
    public static long Ticks(DateTimeOffset timestamp) => timestamp.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>The pane or window number of <paramref name="ticks"/> for a length of <paramref name="size"/> (floor, also before the epoch).</summary>
    public static long Index(long ticks, long size) => ticks >= 0 ? ticks / size : ((ticks + 1) / size) - 1;

    /// <summary>The smallest multiple of <paramref name="size"/> at or after <paramref name="ticks"/>.</summary>
    public static long CeilingMultiple(long ticks, long size) => -Index(-ticks, size) * size;
}
