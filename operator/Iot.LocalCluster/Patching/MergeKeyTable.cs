namespace Iot.LocalCluster.Patching;

/// <summary>
/// The list fields of the built-in kinds that do not simply replace: the <c>patchStrategy</c>/<c>patchMergeKey</c> tags of the
/// Kubernetes Go types we serve, matched by field path suffix (list items are not part of the path).
/// Every other list replaces, e.g. <c>envFrom</c>, <c>tolerations</c>, <c>args</c>, RBAC <c>subjects</c> and <c>rules</c>.
/// </summary>
internal static class MergeKeyTable
{
    private sealed record Rule(string[] PathSuffix, ListMergeStrategy Strategy, string? OnlyKind = null, bool AlsoCustomResources = false);

    // First match wins, so longer suffixes come before shorter ones that end the same way.
    private static readonly Rule[] Rules =
    [
        // Object metadata and status conditions have the same shape in every kind, custom resources included.
        new(["metadata", "finalizers"], ListMergeStrategy.PrimitiveSet, AlsoCustomResources: true),
        new(["metadata", "ownerReferences"], ListMergeStrategy.ByKey("uid"), AlsoCustomResources: true),
        new(["status", "conditions"], ListMergeStrategy.ByKey("type"), AlsoCustomResources: true),

        // Pod specs and pod templates.
        new(["containers", "ports"], ListMergeStrategy.ByKey("containerPort")),
        new(["initContainers", "ports"], ListMergeStrategy.ByKey("containerPort")),
        new(["ephemeralContainers", "ports"], ListMergeStrategy.ByKey("containerPort")),
        new(["containers"], ListMergeStrategy.ByKey("name")),
        new(["initContainers"], ListMergeStrategy.ByKey("name")),
        new(["ephemeralContainers"], ListMergeStrategy.ByKey("name")),
        new(["env"], ListMergeStrategy.ByKey("name")),
        new(["volumeMounts"], ListMergeStrategy.ByKey("mountPath")),
        new(["volumeDevices"], ListMergeStrategy.ByKey("devicePath")),
        new(["volumes"], ListMergeStrategy.ByKey("name")),
        new(["imagePullSecrets"], ListMergeStrategy.ByKey("name")),
        new(["hostAliases"], ListMergeStrategy.ByKey("ip")),
        new(["topologySpreadConstraints"], ListMergeStrategy.ByKey("topologyKey")),
        new(["schedulingGates"], ListMergeStrategy.ByKey("name")),
        new(["status", "podIPs"], ListMergeStrategy.ByKey("ip"), OnlyKind: "Pod"),
        new(["status", "hostIPs"], ListMergeStrategy.ByKey("ip"), OnlyKind: "Pod"),

        // Kind-specific lists whose names mean something else elsewhere.
        new(["spec", "ports"], ListMergeStrategy.ByKey("port"), OnlyKind: "Service"),
        new(["status", "addresses"], ListMergeStrategy.ByKey("type"), OnlyKind: "Node"),
    ];

    /// <summary>The strategy of the list at <paramref name="path"/> in an object of <paramref name="kind"/>.</summary>
    /// <param name="path">Field names from the object root, e.g. spec, template, spec, containers.</param>
    /// <param name="kind">The object's kind, e.g. Service.</param>
    /// <param name="builtInKind">False for custom resources, whose lists replace except the ones shared by all kinds.</param>
    public static ListMergeStrategy For(IReadOnlyList<string> path, string kind, bool builtInKind = true)
    {
        foreach (Rule rule in Rules)
        {
            if ((builtInKind || rule.AlsoCustomResources) && (rule.OnlyKind is null || rule.OnlyKind == kind) && EndsWith(path, rule.PathSuffix))
            {
                return rule.Strategy;
            }
        }
        return ListMergeStrategy.Replace;
    }

    private static bool EndsWith(IReadOnlyList<string> path, string[] suffix)
    {
        if (path.Count < suffix.Length)
        {
            return false;
        }
        int offset = path.Count - suffix.Length;
        for (int i = 0; i < suffix.Length; i++)
        {
            if (path[offset + i] != suffix[i])
            {
                return false;
            }
        }
        return true;
    }
}
