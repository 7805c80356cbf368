using Iot.Api.AlertRoutes;

namespace Iot.Notify.Routing;

/// <summary>
/// The routes of a namespace in the order they are tried: ascending priority, then name. An alert goes to the first
/// route whose matchers all hold, and on to later ones only while the matched routes say <c>continue</c>. Routes that
/// cannot be compiled are left out and listed in <see cref="Errors"/>.
/// </summary>
public sealed class RouteTable
{
    private readonly Dictionary<string, CompiledRoute> byName;

    private RouteTable(IReadOnlyList<CompiledRoute> routes, IReadOnlyList<string> errors)
    {
        Routes = routes;
        Errors = errors;
        byName = routes.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    /// <summary>A table without routes.</summary>
    public static RouteTable Empty { get; } = new([], []);

    /// <summary>The usable routes, in the order they are tried.</summary>
    public IReadOnlyList<CompiledRoute> Routes { get; }

    /// <summary>Why routes were left out: "route name: what is wrong".</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>Compiles every route; a route that cannot be compiled is an error, not an exception.</summary>
    public static RouteTable Build(IEnumerable<AlertRoute> routes)
    {
        var compiled = new List<CompiledRoute>();
        var errors = new List<string>();
        foreach (var route in routes)
        {
            try
            {
                compiled.Add(CompiledRoute.Compile(route));
            }
            catch (FormatException e)
            {
                errors.Add($"{route.Metadata.Name}: {e.Message}");
            }
        }

        return new RouteTable([.. compiled.OrderBy(r => r.Priority).ThenBy(r => r.Name, StringComparer.Ordinal)], errors);
    }

    /// <summary>The route named <paramref name="name"/>, or null.</summary>
    public CompiledRoute? Get(string name) => byName.GetValueOrDefault(name);

    /// <summary>The routes an alert with <paramref name="labels"/> goes to, in order.</summary>
    public IEnumerable<CompiledRoute> Match(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var route in Routes)
        {
            if (route.Matchers.All(m => m.Matches(labels)))
            {
                yield return route;
                if (!route.Continue)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>Every route, with whether an alert with <paramref name="labels"/> reaches it and why (for <c>routes test</c>).</summary>
    public RouteTestResult Test(IReadOnlyDictionary<string, string> labels, DateTimeOffset at)
    {
        var evaluations = new List<RouteEvaluation>();
        string? stoppedBy = null;
        foreach (var route in Routes)
        {
            var matchers = route.Matchers.Select(m => new MatcherEvaluation(m.ToString(), labels.GetValueOrDefault(m.Name), m.Matches(labels))).ToList();
            var matches = matchers.All(m => m.Matched);
            var reached = matches && stoppedBy is null;
            var reason = (stoppedBy, matches) switch
            {
                (not null, _) => $"not tried: route {stoppedBy} matched before it without continue",
                (null, false) => "no match: " + string.Join(", ", matchers.Where(m => !m.Matched).Select(m => $"{m.Matcher} (got {(m.Actual is null ? "no label" : $"\"{m.Actual}\"")})")),
                _ => matchers.Count == 0 ? "match: the route has no matchers" : "match: " + string.Join(", ", matchers.Select(m => m.Matcher)),
            };
            evaluations.Add(new RouteEvaluation(
                route.Name, route.Priority, reached, reason, matchers,
                reached ? [.. route.Receivers.Select(r => new ReceiverReference(r.Name, CompiledRoute.TypeOf(r)))] : [],
                reached ? route.GroupKeyOf(labels) : null,
                reached && route.Mute.IsMuted(at),
                route.Continue));
            if (reached && !route.Continue)
            {
                stoppedBy = route.Name;
            }
        }

        return new RouteTestResult(labels, evaluations, Errors);
    }
}

/// <summary>What <see cref="RouteTable.Test"/> found for every route.</summary>
public sealed record RouteTestResult(IReadOnlyDictionary<string, string> Labels, IReadOnlyList<RouteEvaluation> Routes, IReadOnlyList<string> Errors)
{
    /// <summary>The routes the alert reaches.</summary>
    public IEnumerable<RouteEvaluation> Matched => Routes.Where(r => r.Matched);
}

/// <summary>One route's verdict: whether the alert reaches it, why, its receivers and the group it would join.</summary>
public sealed record RouteEvaluation(
    string Route, int Priority, bool Matched, string Reason, IReadOnlyList<MatcherEvaluation> Matchers,
    IReadOnlyList<ReceiverReference> Receivers, string? GroupKey, bool MutedNow, bool Continue);

/// <summary>One matcher against the alert's labels.</summary>
public sealed record MatcherEvaluation(string Matcher, string? Actual, bool Matched);

/// <summary>A receiver by name and type.</summary>
public sealed record ReceiverReference(string Name, string Type);
