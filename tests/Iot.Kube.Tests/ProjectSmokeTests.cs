using k8s;

namespace Iot.Kube.Tests;

public sealed class ProjectSmokeTests
{
    [Fact]
    public async Task A_local_cluster_is_reachable_from_the_runtime_tests()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        Assert.Equal("1", (await client.Version.GetCodeAsync()).Major);
    }
}
