using System.Text;

using Iot.Api.AlertRoutes;
using Iot.Api.Common;

namespace Iot.Notify.Routing;

/// <summary>An AlertRoute ready for routing: matchers parsed, durations and defaults applied, mute intervals compiled.</summary>
public sealed record CompiledRoute
{
    public required string Name { get; init; }

    public required int Priority { get; init; }

    public required IReadOnlyList<Matcher> Matchers { get; init; }

    public required bool Continue { get; init; }

    /// <summary>The labels that form a group; empty puts every alert of the route in one group.</summary>
    public required IReadOnlyList<string> GroupBy { get; init; }

    /// <summary>True for <c>groupBy: [...]</c>: every label.</summary>
    public required bool GroupByAll { get; init; }

    public required TimeSpan GroupWait { get; init; }

    public required TimeSpan GroupInterval { get; init; }

    public required TimeSpan RepeatInterval { get; init; }

    public required IReadOnlyList<Receiver> Receivers { get; init; }

    public required IReadOnlyList<InhibitionRule> Inhibit { get; init; }

    public required MuteSchedule Mute { get; init; }

    /// <summary>Compiles <paramref name="route"/>; throws <see cref="FormatException"/> saying which field cannot be read.</summary>
    public static CompiledRoute Compile(AlertRoute route)
    {
        var spec = route.Spec;
        TimeSpan DurationOf(string? value, string field, TimeSpan fallback)
        {
            if (value is null)
            {
                return fallback;
            }

            return Duration.TryParse(value, out var parsed) ? parsed : throw new FormatException($"spec.{field}: {Duration.Describe(value)}");
        }

        IReadOnlyList<Matcher> Matchers(IEnumerable<string>? texts, string field) =>
            [.. (texts ?? []).Select((t, i) => Matcher.TryParse(t, out var m, out var error) ? m! : throw new FormatException($"spec.{field}[{i}]: invalid matcher '{t}': {error}"))];

        var groupBy = spec.GroupBy ?? [];
        return new CompiledRoute
        {
            Name = route.Metadata.Name,
            Priority = spec.Priority ?? 100,
            Matchers = Matchers(spec.Matchers, "matchers"),
            Continue = spec.Continue ?? false,
            GroupBy = [.. groupBy.Where(g => g != "...").Distinct().Order(StringComparer.Ordinal)],
            GroupByAll = groupBy.Contains("..."),
            GroupWait = DurationOf(spec.GroupWait, "groupWait", TimeSpan.FromSeconds(30)),
            GroupInterval = DurationOf(spec.GroupInterval, "groupInterval", TimeSpan.FromMinutes(5)),
            RepeatInterval = DurationOf(spec.RepeatInterval, "repeatInterval", TimeSpan.FromHours(4)),
            Receivers = spec.Receivers,
            Inhibit = [.. (spec.Inhibit ?? []).Select((r, i) => new InhibitionRule(
                Matchers(r.SourceMatchers, $"inhibit[{i}].sourceMatchers"), Matchers(r.TargetMatchers, $"inhibit[{i}].targetMatchers"), r.Equal ?? []))],
            Mute = MuteSchedule.Compile(spec.MuteTimeIntervals),
        };
    }

    /// <summary>The values of the group-by labels of an alert with <paramref name="labels"/>.</summary>
    public IReadOnlyDictionary<string, string> GroupLabelsOf(IReadOnlyDictionary<string, string> labels) =>
        GroupByAll
            ? new SortedDictionary<string, string>(labels.ToDictionary(), StringComparer.Ordinal)
            : new SortedDictionary<string, string>(GroupBy.Where(labels.ContainsKey).ToDictionary(l => l, l => labels[l]), StringComparer.Ordinal);

    /// <summary>The group key, Alertmanager style: <c>route:{label="value",...}</c>.</summary>
    public string GroupKeyOf(IReadOnlyDictionary<string, string> labels)
    {
        var key = new StringBuilder(Name).Append(":{");
        var first = true;
        foreach (var (name, value) in GroupLabelsOf(labels))
        {
            key.Append(first ? "" : ",").Append(name).Append("=\"").Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
            first = false;
        }

        return key.Append('}').ToString();
    }

    /// <summary>The receiver's type name: webhook, slack, email or mqtt.</summary>
    public static string TypeOf(Receiver receiver) =>
        receiver.Webhook is not null ? "webhook" : receiver.Slack is not null ? "slack" : receiver.Email is not null ? "email" : receiver.Mqtt is not null ? "mqtt" : "none";
}
