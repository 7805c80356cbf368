using Iot.LocalCluster.Http;

using YamlDotNet.RepresentationModel;

using static Iot.Chart.Tests.Support.HelmChart;

namespace Iot.Chart.Tests.Rbac;

/// <summary>One rule of a rendered Role or ClusterRole.</summary>
internal sealed record PolicyRule(IReadOnlyList<string> ApiGroups, IReadOnlyList<string> Resources, IReadOnlyList<string> Verbs, IReadOnlyList<string> ResourceNames)
{
    public static PolicyRule From(YamlNode rule) =>
        new(rule.Strings("apiGroups"), rule.Strings("resources"), rule.Strings("verbs"), rule.Strings("resourceNames"));

    /// <summary>The resource as RBAC names it: <c>devices</c>, or <c>devices/status</c> for a subresource.</summary>
    public static string ResourceOf(ApiRequest request) =>
        request.Subresource.Length == 0 ? request.Resource : request.Resource + "/" + request.Subresource;

    /// <summary>Whether the rule matches the request as the Kubernetes RBAC authorizer matches it (no wildcards are expected).</summary>
    public bool Allows(ApiRequest request) =>
        ApiGroups.Contains(request.Group)
        && Resources.Contains(ResourceOf(request))
        && Verbs.Contains(request.Verb)
        && (ResourceNames.Count == 0 || (request.Name.Length > 0 && ResourceNames.Contains(request.Name)));

    /// <summary>Every (group, resource, verb) the rule grants.</summary>
    public IEnumerable<Permission> Permissions =>
        from g in ApiGroups from r in Resources from v in Verbs select new Permission(g, r, v);

    public override string ToString() =>
        $"[{string.Join(',', ApiGroups)}] [{string.Join(',', Resources)}] [{string.Join(',', Verbs)}]{(ResourceNames.Count == 0 ? "" : $" names [{string.Join(',', ResourceNames)}]")}";
}

/// <summary>One verb on one resource of one API group.</summary>
internal sealed record Permission(string ApiGroup, string Resource, string Verb)
{
    public override string ToString() => $"{Verb} {(ApiGroup.Length == 0 ? "" : ApiGroup + "/")}{Resource}";
}
