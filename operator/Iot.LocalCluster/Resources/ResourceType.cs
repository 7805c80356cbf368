namespace Iot.LocalCluster.Resources;

/// <summary>A kind the server serves: its REST names and the behaviours that differ between kinds.</summary>
/// <param name="Group">API group; empty for the core group.</param>
/// <param name="Version">The one served version.</param>
/// <param name="Kind">e.g. Deployment.</param>
/// <param name="Plural">REST resource name, e.g. deployments.</param>
/// <param name="Singular">e.g. deployment.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="HasStatus">Whether the kind has a /status subresource (writes to the main resource then ignore status).</param>
/// <param name="HasSpec">Whether generation bumps on spec changes only; without spec, any change outside metadata bumps it.</param>
public sealed record ResourceType(string Group, string Version, string Kind, string Plural, string Singular, bool Namespaced, bool HasStatus, bool HasSpec)
{
    /// <summary>Short names, e.g. deploy.</summary>
    public IReadOnlyList<string> ShortNames { get; init; } = [];

    /// <summary>Categories, e.g. all, iot.</summary>
    public IReadOnlyList<string> Categories { get; init; } = [];

    /// <summary>apiVersion as objects carry it: v1 or group/version.</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>The kind of lists, e.g. DeploymentList.</summary>
    public string ListKind => Kind + "List";

    /// <summary>Identity of the resource in the store: <c>group/plural</c> (core: <c>/pods</c>).</summary>
    public string Key => $"{Group}/{Plural}";
}
