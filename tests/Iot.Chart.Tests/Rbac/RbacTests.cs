using Iot.Chart.Tests.Support;
using Iot.LocalCluster.Http;

using k8s.Models;

namespace Iot.Chart.Tests.Rbac;

/// <summary>The chart's RBAC, checked against every request the operator really makes (<see cref="FullLifecycleScenario"/>).</summary>
public sealed class RbacTests(FullLifecycleScenario scenario) : IClassFixture<FullLifecycleScenario>
{
    private const string ServiceAccount = "iot-iot-operator";

    /// <summary>
    /// Permissions the operator holds without calling them: the workload Roles it creates grant them, and Kubernetes lets
    /// it create a Role only with every permission the Role grants (RBAC escalation prevention).
    /// </summary>
    private static readonly Dictionary<Permission, string> NeededOnlyToGrant = new()
    {
        [new("iotoperator.io", "devices", "get")] = "the broker, ingest and analytics Roles read Devices",
        [new("iotoperator.io", "rooms", "get")] = "the ingest and analytics Roles read Rooms",
        [new("iotoperator.io", "edgerules", "get")] = "the ingest Role reads EdgeRules",
        [new("iotoperator.io", "alertroutes", "get")] = "the notify Role reads AlertRoutes",
        [new("", "secrets", "get")] = "the broker Role reads credentials Secrets and the notify Role its receivers' Secrets (the operator itself reads one only after a create conflict)",
    };

    private RbacPolicy Policy => RbacPolicy.For(scenario.Chart, HelmChart.ReleaseNamespace, ServiceAccount);

    [Fact]
    public void The_operator_made_requests_through_every_controller_and_the_Lease()
    {
        var resources = scenario.Requests.Select(PolicyRule.ResourceOf).ToHashSet();

        Assert.Superset(
            new HashSet<string> { "devices", "devices/status", "rooms", "rooms/status", "edgerules/status", "alertroutes/status", "secrets", "events", "namespaces", "deployments", "services", "serviceaccounts", "roles", "rolebindings", "leases" },
            resources);
    }

    [Fact]
    public void Every_request_the_operator_makes_is_allowed_by_the_charts_rules()
    {
        var policy = Policy;
        var refused = scenario.Requests.Where(r => policy.Authorize(r) is null).Select(r => r with { Name = "", UserAgent = "" }).Distinct().ToList();

        Assert.True(refused.Count == 0, "RBAC would refuse:\n" + string.Join('\n', refused) + "\nrendered grants:\n" + string.Join('\n', policy.Grants));
    }

    [Fact]
    public void Every_permission_the_chart_grants_is_used_or_needed_to_grant_the_workload_Roles()
    {
        var policy = Policy;
        var exercised = scenario.Requests
            .SelectMany(r => policy.Grants.Where(g => g.Allows(r)).Select(_ => new Permission(r.Group, PolicyRule.ResourceOf(r), r.Verb)))
            .ToHashSet();

        var unused = policy.Grants.SelectMany(g => g.Rule.Permissions).Distinct()
            .Where(p => !exercised.Contains(p) && !NeededOnlyToGrant.ContainsKey(p)).ToList();

        Assert.NotEmpty(exercised);
        Assert.True(unused.Count == 0, "granted but never used: " + string.Join(", ", unused));
        Assert.All(NeededOnlyToGrant.Keys, p => Assert.DoesNotContain(p, exercised));
    }

    [Fact]
    public void The_operator_holds_every_permission_its_workload_Roles_grant()
    {
        var policy = Policy;
        var granted = scenario.WorkloadRoles.SelectMany(role => role.Rules.SelectMany(rule => Requests(role.Metadata.NamespaceProperty, rule))).ToList();

        Assert.Equal(4, scenario.WorkloadRoles.Count);
        Assert.All(granted, r => Assert.True(policy.Authorize(r) is not null, $"a workload Role grants {r} but the operator does not hold it: Kubernetes refuses the Role"));
        Assert.All(NeededOnlyToGrant.Keys, p => Assert.Contains(granted, r => new Permission(r.Group, PolicyRule.ResourceOf(r), r.Verb) == p));
    }

    [Fact]
    public void The_rules_have_no_wildcards()
    {
        Assert.All(Policy.Grants, g => Assert.DoesNotContain("*", g.Rule.ApiGroups.Concat(g.Rule.Resources).Concat(g.Rule.Verbs)));
    }

    [Fact]
    public void Requests_outside_the_rules_are_refused()
    {
        var policy = Policy;

        Assert.Null(policy.Authorize(new ApiRequest("delete", "", "namespaces", "", "", "building-a", "")));
        Assert.Null(policy.Authorize(new ApiRequest("update", "", "secrets", "", "building-a", "x", "")));
        Assert.Null(policy.Authorize(new ApiRequest("get", "coordination.k8s.io", "leases", "", HelmChart.ReleaseNamespace, "another-lease", "")));
        Assert.Null(policy.Authorize(new ApiRequest("create", "coordination.k8s.io", "leases", "", "building-a", "", "")));
        Assert.Null(policy.Authorize(new ApiRequest("escalate", "rbac.authorization.k8s.io", "roles", "", "building-a", "x", "")));
    }

    /// <summary>The requests a Role rule allows (one per resource name when it names any).</summary>
    private static IEnumerable<ApiRequest> Requests(string ns, V1PolicyRule rule) =>
        from g in rule.ApiGroups
        from resource in rule.Resources
        from verb in rule.Verbs
        from name in rule.ResourceNames is { Count: > 0 } names ? names : [""]
        let parts = resource.Split('/')
        select new ApiRequest(verb, g, parts[0], parts.ElementAtOrDefault(1) ?? "", ns, name, "");
}
