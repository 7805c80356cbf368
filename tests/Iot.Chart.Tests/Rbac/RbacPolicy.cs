using Iot.LocalCluster.Http;

using YamlDotNet.RepresentationModel;

using static Iot.Chart.Tests.Support.HelmChart;

namespace Iot.Chart.Tests.Rbac;

/// <summary>A rule as bound to the service account: cluster-wide (ClusterRoleBinding) or in one namespace (RoleBinding).</summary>
internal sealed record Grant(string? Namespace, string Role, PolicyRule Rule)
{
    public bool Allows(ApiRequest request) => (Namespace is null || Namespace == request.Namespace) && Rule.Allows(request);

    public override string ToString() => $"{Role}{(Namespace is null ? "" : " in " + Namespace)}: {Rule}";
}

/// <summary>What the chart's rendered RBAC lets one service account do, evaluated like the Kubernetes RBAC authorizer.</summary>
internal sealed class RbacPolicy(IReadOnlyList<Grant> grants)
{
    public IReadOnlyList<Grant> Grants => grants;

    /// <summary>The rules bound to service account <paramref name="ns"/>/<paramref name="serviceAccount"/> by the rendered bindings.</summary>
    public static RbacPolicy For(IReadOnlyList<YamlMappingNode> objects, string ns, string serviceAccount)
    {
        var clusterRoles = objects.Where(o => o.Kind() == "ClusterRole").ToDictionary(o => o.Name(), Rules);
        var roles = objects.Where(o => o.Kind() == "Role").ToDictionary(o => (o.Scalar("metadata", "namespace") ?? "", o.Name()), Rules);
        var grants = new List<Grant>();
        foreach (var binding in objects.Where(o => o.Kind() is "ClusterRoleBinding" or "RoleBinding"))
        {
            var subjects = binding.Node("subjects") as YamlSequenceNode;
            if (subjects is null || !subjects.Children.Any(s => s.Scalar("kind") == "ServiceAccount" && s.Scalar("name") == serviceAccount && s.Scalar("namespace") == ns))
            {
                continue;
            }

            var bindingNamespace = binding.Kind() == "RoleBinding" ? binding.Scalar("metadata", "namespace") ?? "" : null;
            var roleName = binding.Scalar("roleRef", "name") ?? "";
            var rules = binding.Scalar("roleRef", "kind") == "ClusterRole"
                ? clusterRoles.GetValueOrDefault(roleName)
                : roles.GetValueOrDefault((bindingNamespace ?? "", roleName));
            Assert.True(rules is not null, $"{binding.Kind()} {binding.Name()} refers to {binding.Scalar("roleRef", "kind")} {roleName}, which the chart does not render");
            grants.AddRange(rules!.Select(r => new Grant(bindingNamespace, roleName, r)));
        }

        return new RbacPolicy(grants);
    }

    /// <summary>The first grant that allows <paramref name="request"/>, or null when RBAC would refuse it (403).</summary>
    public Grant? Authorize(ApiRequest request) => grants.FirstOrDefault(g => g.Allows(request));

    private static IReadOnlyList<PolicyRule> Rules(YamlMappingNode role) =>
        role.Node("rules") is YamlSequenceNode rules ? [.. rules.Children.Select(PolicyRule.From)] : [];
}
