namespace Iot.LocalCluster.Http;

/// <summary>
/// A resource URL taken apart: <c>/api/v1/namespaces/{ns}/{resource}/{name}/{subresource}</c> and
/// <c>/apis/{group}/{version}/...</c>, with cluster-scoped and all-namespaces forms.
/// </summary>
internal sealed record RequestPath(string Group, string Version, string Resource, string Namespace, string Name, string Subresource)
{
    /// <summary>Parses the part after the group/version prefix; <paramref name="isResource"/> tells resource names from subresources.</summary>
    public static RequestPath? Parse(string group, string version, string[] rest, Func<string, bool> isResource)
    {
        // namespaces/{ns}/{resource}[/{name}[/{sub}]] addresses namespaced objects; in the core group,
        // namespaces/{name}/{sub} addresses a Namespace's own subresource, told apart by the resource name.
        if (rest.Length >= 3 && rest[0] == "namespaces" && (group.Length > 0 || isResource(rest[2])))
        {
            return rest.Length > 5 ? null : new RequestPath(group, version, rest[2], rest[1], rest.ElementAtOrDefault(3) ?? "", rest.ElementAtOrDefault(4) ?? "");
        }

        return rest.Length is 0 or > 3 ? null : new RequestPath(group, version, rest[0], "", rest.ElementAtOrDefault(1) ?? "", rest.ElementAtOrDefault(2) ?? "");
    }
}
