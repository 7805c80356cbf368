namespace Iot.Analytics.Planning;

/// <summary>
/// One place telemetry is kept: a room's raw policy (<see cref="Every"/> null) or one of its rollups, the retention
/// policy's name, and how long it keeps data (<see cref="Keep"/> null: unknown, taken as forever).
/// </summary>
public sealed record RetentionLevel(string Policy, TimeSpan? Every, TimeSpan? Keep)
{
    /// <summary>True for the raw policy.</summary>
    public bool IsRaw => Every is null;

    /// <summary>The earliest time this level still holds at <paramref name="now"/> (null: everything).</summary>
    public DateTimeOffset? RetainedFrom(DateTimeOffset now) => Keep is { } keep ? now - keep : null;

    /// <summary>True when the level still holds data from <paramref name="from"/> on.</summary>
    public bool Covers(DateTimeOffset from, DateTimeOffset now) => RetainedFrom(now) is not { } start || from >= start;

    /// <summary>True when buckets of <paramref name="step"/> can be computed exactly from this level (raw: any step; a rollup: a multiple of its interval).</summary>
    public bool Serves(TimeSpan step) => Every is not { } every || (step >= every && step.Ticks % every.Ticks == 0);
}
