namespace Iot.LocalCluster.Http;

/// <summary>One API request as an authorizer sees it (the attributes RBAC rules match on).</summary>
/// <param name="Verb">get, list, watch, create, update, patch, delete or deletecollection.</param>
/// <param name="Group">API group, empty for core.</param>
/// <param name="Resource">Plural resource name, e.g. deployments.</param>
/// <param name="Subresource">e.g. status; empty for the main resource.</param>
/// <param name="Namespace">The request's namespace, empty for cluster-scoped or all-namespaces requests.</param>
/// <param name="Name">The object name, empty for collections.</param>
/// <param name="UserAgent">The client's User-Agent, to tell clients apart.</param>
public sealed record ApiRequest(string Verb, string Group, string Resource, string Subresource, string Namespace, string Name, string UserAgent)
{
    /// <inheritdoc />
    public override string ToString() =>
        $"{Verb} {(Group.Length == 0 ? "" : Group + "/")}{Resource}{(Subresource.Length == 0 ? "" : "/" + Subresource)}"
        + $"{(Namespace.Length == 0 ? "" : " -n " + Namespace)}{(Name.Length == 0 ? "" : " " + Name)}";
}
