using Iot.Chart.Tests.Support;
using Iot.Operator;

namespace Iot.Chart.Tests.Rbac;

public sealed class WatchedNamespaceRbacTests
{
    [Fact]
    public async Task With_one_watched_namespace_a_Role_there_and_a_ClusterRole_for_Namespaces_allow_every_request()
    {
        var chart = await HelmChart.RenderAsync(["watchNamespaces={building-a}", "leaderElection.enabled=false", "replicaCount=1"]);
        var policy = RbacPolicy.For(chart, HelmChart.ReleaseNamespace, "iot-iot-operator");
        await using var run = await OperatorRun.StartClusterAsync();

        run.Start(new OperatorOptions { LeaderElection = false, Namespace = OperatorRun.Building });
        await run.WaitUntilBuildingRunsAsync();
        await run.StopAsync();

        var refused = run.OperatorRequests.Where(r => policy.Authorize(r) is null).Select(r => r with { Name = "", UserAgent = "" }).Distinct().ToList();
        Assert.NotEmpty(run.OperatorRequests);
        Assert.True(refused.Count == 0, "RBAC would refuse:\n" + string.Join('\n', refused));
        Assert.All(policy.Grants.Where(g => g.Namespace is null), g => Assert.Equal(["namespaces"], g.Rule.Resources));
        Assert.DoesNotContain(chart, o => o.Kind() == "Role" && o.Name().EndsWith("leader-election", StringComparison.Ordinal));
    }
}
