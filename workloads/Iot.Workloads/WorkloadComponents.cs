namespace Iot.Workloads;

/// <summary>The components one workloads process can run (<c>--component</c>), by their names in the operator's Deployments.</summary>
public static class WorkloadComponents
{
    /// <summary>The MQTT broker.</summary>
    public const string Broker = "broker";

    /// <summary>Telemetry intake and the rule engine.</summary>
    public const string Ingest = "ingest";

    /// <summary>The analytics API.</summary>
    public const string Analytics = "analytics";

    /// <summary>Alert routing and delivery.</summary>
    public const string Notify = "notify";

    /// <summary>Every component, in the order they start.</summary>
    public static readonly IReadOnlyList<string> All = [Broker, Ingest, Analytics, Notify];

    /// <summary>
    /// The components named by <paramref name="names"/> (each a component name, a comma-separated list, or <c>all</c>), in
    /// start order without repeats.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown name, or none at all.</exception>
    public static IReadOnlyList<string> Parse(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var wanted = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in names.SelectMany(n => n.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            var lower = name.ToLowerInvariant();
            if (lower == "all")
            {
                wanted.UnionWith(All);
            }
            else if (All.Contains(lower))
            {
                wanted.Add(lower);
            }
            else
            {
                throw new ArgumentException($"unknown component '{name}'; expected {string.Join(", ", All)} or all", nameof(names));
            }
        }

        return wanted.Count == 0
            ? throw new ArgumentException($"no component given; expected {string.Join(", ", All)} or all", nameof(names))
            : [.. All.Where(wanted.Contains)];
    }
}
