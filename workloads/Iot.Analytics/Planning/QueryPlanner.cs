using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Planning;

/// <summary>
/// Chooses where a history read of [from, to) in buckets of a step comes from: the coarsest rollup that serves the
/// step exactly (the step is a multiple of its interval) and still holds the whole range, else raw points if they
/// still hold it. Fewer, coarser rows make the same buckets cheaper, and a rollup kept longer than raw points is the
/// only source of old history.
/// </summary>
/// <remarks>
/// <para>A rollup interval is only written once it has ended (the continuous query runs then), so when a rollup is
/// chosen and the range reaches into the last <c>lag</c> plus one step, that tail is read from raw points; the cut is
/// on a bucket boundary, so no bucket mixes both.</para>
/// <para>When no level serving the step holds the range but a coarser rollup does, the plan is refused with the step
/// that would work (old data exists only at that resolution). When nothing holds the whole range, the level kept
/// longest serves it and the plan says from when data exists.</para>
/// </remarks>
public static class QueryPlanner
{
    /// <summary>Plans a read; see the class remarks.</summary>
    public static PlanOutcome Plan(RoomRetentionLevels levels, DateTimeOffset from, DateTimeOffset to, TimeSpan step, DateTimeOffset now, TimeSpan lag)
    {
        ArgumentNullException.ThrowIfNull(levels);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        var serving = levels.All.Where(l => l.Serves(step)).ToList();
        var chosen = serving.Where(l => l.Covers(from, now)).MaxBy(l => l.Every ?? TimeSpan.Zero);
        if (chosen is null)
        {
            if (levels.All.Where(l => l.Covers(from, now)).MinBy(l => l.Every) is { Every: { } every } coarser)
            {
                return PlanOutcome.Refused(
                    $"step {ApiDuration.Format(step)} is finer than the data kept from {from:O}: only the {coarser.Policy} rollup " +
                    $"(every {ApiDuration.Format(every)}, kept {Kept(coarser)}) reaches back that far; use a step that is a multiple of {ApiDuration.Format(every)}",
                    every);
            }

            // Nothing holds the whole range: serve what the longest-kept level still has.
            chosen = serving.MaxBy(l => l.Keep ?? TimeSpan.MaxValue)!;
            return PlanOutcome.Of(Split(levels.Raw, chosen, from, to, step, now, lag) with { RetainedFrom = chosen.RetainedFrom(now) });
        }

        return PlanOutcome.Of(Split(levels.Raw, chosen, from, to, step, now, lag));
    }

    /// <summary>
    /// Plans a read with a step of its own choosing: the smallest round step (<see cref="StepLadder"/>) giving at most
    /// <paramref name="maxBuckets"/> buckets, made a multiple of a rollup's interval when only that rollup still holds the range.
    /// </summary>
    public static PlanOutcome PlanAutomatic(RoomRetentionLevels levels, DateTimeOffset from, DateTimeOffset to, int maxBuckets, DateTimeOffset now, TimeSpan lag)
    {
        var step = StepLadder.For(to - from, maxBuckets);
        var outcome = Plan(levels, from, to, step, now, lag);
        return outcome.UsableStep is { } usable
            ? Plan(levels, from, to, usable * Math.Max(1, (long)Math.Ceiling(step / usable)), now, lag)
            : outcome;
    }

    /// <summary>The start of the bucket of <paramref name="step"/> holding <paramref name="time"/> (buckets start at multiples of the step since the Unix epoch).</summary>
    public static DateTimeOffset Floor(DateTimeOffset time, TimeSpan step)
    {
        var ticks = (time - DateTimeOffset.UnixEpoch).Ticks;
        var remainder = ((ticks % step.Ticks) + step.Ticks) % step.Ticks;
        return time.AddTicks(-remainder).ToUniversalTime();
    }

    private static QueryPlan Split(RetentionLevel raw, RetentionLevel chosen, DateTimeOffset from, DateTimeOffset to, TimeSpan step, DateTimeOffset now, TimeSpan lag)
    {
        if (chosen.IsRaw)
        {
            return new QueryPlan(step, [new PlanSegment(chosen, from, to)]);
        }

        var cut = Floor(now - lag, step);
        if (cut >= to || !raw.Covers(cut > from ? cut : from, now))
        {
            return new QueryPlan(step, [new PlanSegment(chosen, from, to)]);
        }

        return cut <= from
            ? new QueryPlan(step, [new PlanSegment(raw, from, to)])
            : new QueryPlan(step, [new PlanSegment(chosen, from, cut), new PlanSegment(raw, cut, to)]);
    }

    private static string Kept(RetentionLevel level) => level.Keep is { } keep ? ApiDuration.Format(keep) : "forever";
}
