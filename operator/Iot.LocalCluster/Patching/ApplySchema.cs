namespace Iot.LocalCluster.Patching;

/// <summary>
/// What server-side apply knows of an object's structure without OpenAPI schemas: which lists merge by key or as sets
/// (<see cref="MergeKeyTable"/>), which maps are atomic, and which fields belong to the server rather than to managers.
/// </summary>
internal sealed class ApplySchema
{
    // Label selectors and node selectors are atomic in the Kubernetes types: they are owned and replaced whole.
    private static readonly HashSet<string> AtomicMapNames = ["selector", "labelSelector", "namespaceSelector", "podSelector", "nodeSelector"];

    private static readonly HashSet<string> TypeFields = ["apiVersion", "kind"];

    private static readonly HashSet<string> ServerOwnedMetadata =
    [
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
        "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink",
    ];

    private readonly string kind;

    private ApplySchema(string kind, bool builtInKind)
    {
        this.kind = kind;
        BuiltInKind = builtInKind;
    }

    /// <summary>True for Kubernetes' own kinds; custom resources have atomic lists except the ones every kind shares.</summary>
    public bool BuiltInKind { get; }

    /// <summary>Built-in groups are the core group, unqualified ones (apps, batch, policy) and *.k8s.io; custom resource groups hold a dot.</summary>
    public static ApplySchema For(string kind, string? apiVersion)
    {
        string group = apiVersion is not null && apiVersion.Contains('/', StringComparison.Ordinal) ? apiVersion[..apiVersion.IndexOf('/', StringComparison.Ordinal)] : "";
        bool builtIn = !group.Contains('.', StringComparison.Ordinal) || group.EndsWith(".k8s.io", StringComparison.Ordinal);
        return new(kind, builtIn);
    }

    /// <param name="names">Field names from the object root; list items are not part of it.</param>
    public ListMergeStrategy ListAt(IReadOnlyList<string> names) => MergeKeyTable.For(names, kind, BuiltInKind);

    /// <param name="names">Field names from the object root; list items are not part of it.</param>
    public bool IsAtomicMap(IReadOnlyList<string> names) => BuiltInKind && names.Count > 0 && AtomicMapNames.Contains(names[^1]);

    /// <summary>apiVersion, kind and the metadata the server sets or that identifies the object: no manager owns them.</summary>
    /// <param name="names">Field names from the object root; list items are not part of it.</param>
    public static bool IsServerOwned(IReadOnlyList<string> names) =>
        (names.Count == 1 && TypeFields.Contains(names[0])) || (names.Count == 2 && names[0] == "metadata" && ServerOwnedMetadata.Contains(names[1]));
}
