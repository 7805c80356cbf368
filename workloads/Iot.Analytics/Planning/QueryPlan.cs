namespace Iot.Analytics.Planning;

/// <summary>One part of a planned read: [<paramref name="From"/>, <paramref name="To"/>) from <paramref name="Level"/>.</summary>
public sealed record PlanSegment(RetentionLevel Level, DateTimeOffset From, DateTimeOffset To);

/// <summary>
/// How a history read is served: buckets of <see cref="Step"/>, from one level or, when a rollup is chosen and the
/// range reaches the present, the rollup up to the last complete interval and raw points after it. Segments are
/// disjoint, in time order, and meet at bucket boundaries, so their buckets never overlap.
/// </summary>
public sealed record QueryPlan(TimeSpan Step, IReadOnlyList<PlanSegment> Segments)
{
    /// <summary>Set when the range starts before the chosen level keeps data: nothing older than this exists any more.</summary>
    public DateTimeOffset? RetainedFrom { get; init; }
}

/// <summary>A plan, or why there is none and which step would work.</summary>
public sealed record PlanOutcome(QueryPlan? Plan, string? Problem, TimeSpan? UsableStep)
{
    public static PlanOutcome Of(QueryPlan plan) => new(plan, null, null);

    public static PlanOutcome Refused(string problem, TimeSpan usableStep) => new(null, problem, usableStep);
}
