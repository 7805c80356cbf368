using Iot.Api.AlertRoutes;
using Iot.Kube;
using Iot.LocalCluster;
using Iot.Operator.Workloads;

using k8s;
using k8s.Models;

namespace Iot.Operator.Tests.Workloads;

public sealed class WorkloadStackControllerTests
{
    private const string Building = "building-a";

    [Fact]
    public async Task The_example_building_gets_every_workload_and_loses_notify_with_its_last_route()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds"), ApplyDirectory = RepositoryRoot.Combine("examples") });
        using var client = cluster.CreateClient();
        var controller = WorkloadStackController.Create(client, new WorkloadOptions(), null);
        using var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);

        await Eventually.TrueAsync(async () => (await DeploymentsAsync(client)).Count == 4, "the four workloads were deployed");
        Assert.Equal(["iot-analytics", "iot-broker", "iot-ingest", "iot-notify"], await DeploymentsAsync(client));
        var services = await client.CoreV1.ListNamespacedServiceAsync(Building, labelSelector: WorkloadStackBuilder.Selector);
        Assert.Equal(4, services.Items.Count);
        var roles = await client.RbacAuthorizationV1.ListNamespacedRoleAsync(Building, labelSelector: WorkloadStackBuilder.Selector);
        var notify = roles.Items.Single(r => r.Metadata.Name == "iot-notify");
        Assert.Equal(["oncall-webhook", "smtp-credentials"], notify.Rules.Single(r => r.Resources.Contains("secrets")).ResourceNames.Order(StringComparer.Ordinal));
        Assert.NotNull(await client.CoreV1.ReadNamespacedSecretAsync("iot-api-token", Building));
        Assert.Empty(await client.CoreV1.ListNamespacedServiceAsync("default", labelSelector: WorkloadStackBuilder.Selector) is { Items: var none } ? none : []);

        // Drift is repaired.
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch("""{"spec":{"replicas":7}}""", V1Patch.PatchType.MergePatch), "iot-broker", Building);
        await Eventually.TrueAsync(async () => (await client.AppsV1.ReadNamespacedDeploymentAsync("iot-broker", Building)).Spec.Replicas == 1, "the broker's replicas were put back");

        var routes = new ResourceClient<AlertRoute>(client, KubeResource.For<AlertRoute>());
        foreach (var route in (await routes.ListAllAsync(Building)).Items)
        {
            await routes.DeleteAsync(route.Metadata.Name, Building);
        }

        await Eventually.TrueAsync(async () => !(await DeploymentsAsync(client)).Contains("iot-notify"), "notify was removed with the last AlertRoute");
        Assert.Equal(["iot-analytics", "iot-broker", "iot-ingest"], await DeploymentsAsync(client));
        await Eventually.TrueAsync(
            async () => (await client.RbacAuthorizationV1.ListNamespacedRoleAsync(Building, labelSelector: WorkloadStackBuilder.Selector)).Items.All(r => r.Metadata.Name != "iot-notify"),
            "notify's Role was removed too");

        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(0, controller.Errors);
    }

    private static async Task<List<string>> DeploymentsAsync(IKubernetes client) =>
        [.. (await client.AppsV1.ListNamespacedDeploymentAsync(Building, labelSelector: WorkloadStackBuilder.Selector)).Items.Select(d => d.Metadata.Name).Order(StringComparer.Ordinal)];
}
