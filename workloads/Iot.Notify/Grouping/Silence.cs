using Iot.Api.AlertRoutes;

namespace Iot.Notify.Grouping;

/// <summary>An active or future silence, with its matchers parsed.</summary>
public sealed record Silence(string Id, IReadOnlyList<Matcher> Matchers, DateTimeOffset StartsAt, DateTimeOffset EndsAt)
{
    public bool Mutes(IReadOnlyDictionary<string, string> labels, DateTimeOffset at) =>
        at >= StartsAt && at < EndsAt && Matchers.All(m => m.Matches(labels));
}
