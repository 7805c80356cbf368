using Iot.Api.AlertRoutes;

namespace Iot.Notify.Routing;

/// <summary>
/// A compiled inhibit rule: an alert matching the target matchers is muted while another alert matching the source
/// matchers fires with the same values of the <c>equal</c> labels (an absent label equals an absent label).
/// </summary>
public sealed record InhibitionRule(IReadOnlyList<Matcher> Source, IReadOnlyList<Matcher> Target, IReadOnlyList<string> Equal)
{
    /// <summary>The firing alert that inhibits <paramref name="target"/>, if any (never the target itself).</summary>
    public string? FindSource(string targetFingerprint, IReadOnlyDictionary<string, string> target, IEnumerable<(string Fingerprint, IReadOnlyDictionary<string, string> Labels)> firing)
    {
        if (!Target.All(m => m.Matches(target)))
        {
            return null;
        }

        foreach (var (fingerprint, labels) in firing)
        {
            if (fingerprint != targetFingerprint && Source.All(m => m.Matches(labels))
                && Equal.All(l => labels.GetValueOrDefault(l, "") == target.GetValueOrDefault(l, "")))
            {
                return fingerprint;
            }
        }

        return null;
    }
}
