using Iot.Analytics.Planning;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.History;

/// <summary>
/// Where (part of) a response's data was read: the retention policy, <c>raw</c> or <c>rollup</c>, the rollup's
/// resolution, and the time range read from it.
/// </summary>
public sealed record ReadSource(string Policy, string Kind, string? Resolution, DateTimeOffset From, DateTimeOffset To)
{
    public static ReadSource Of(PlanSegment segment)
    {
        ArgumentNullException.ThrowIfNull(segment);
        return new ReadSource(
            segment.Level.Policy,
            segment.Level.IsRaw ? "raw" : "rollup",
            segment.Level.Every is { } every ? ApiDuration.Format(every) : null,
            segment.From,
            segment.To);
    }

    public static IReadOnlyList<ReadSource> Of(QueryPlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return [.. plan.Segments.Select(Of)];
    }
}
