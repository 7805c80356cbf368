using Iot.Api.Devices;
using Iot.Cli.Dev;
using Iot.LocalCluster;
using Iot.Operator.Workloads;

using k8s;
using k8s.Models;

namespace Iot.Cli.Tests;

/// <summary>
/// The runner standing in for kubelet, without the operator: the broker Deployment the operator would build runs
/// in-process and is marked available; a new pod template restarts it; deleting the Deployment stops it.
/// </summary>
public sealed class LocalWorkloadRunnerTests : IAsyncLifetime
{
    private const string Namespace = "plant";
    private const string Broker = "iot-broker";

    private readonly TempDirectory directory = new();
    private readonly CancellationTokenSource stop = new();
    private LocalCluster.LocalCluster cluster = null!;
    private Kubernetes client = null!;
    private LocalWorkloadRunner runner = null!;
    private Task running = Task.CompletedTask;

    public async Task InitializeAsync()
    {
        cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        var stack = WorkloadStackBuilder.Build(
            Namespace,
            new HashSet<WorkloadComponent> { WorkloadComponent.Broker },
            [],
            new StackSecrets("internal-password", DeviceCredentials.Hash("internal-password", iterations: 10), "api-token"),
            new WorkloadOptions());
        foreach (var secret in stack.OfType<V1Secret>())
        {
            await client.CoreV1.CreateNamespacedSecretAsync(secret, Namespace);
        }

        await client.AppsV1.CreateNamespacedDeploymentAsync(stack.OfType<V1Deployment>().Single(), Namespace);
        runner = new LocalWorkloadRunner(client, new DevOptions { Directory = directory.Path }, new WorkloadPorts(WorkloadPorts.FreePort()), TimeProvider.System);
        running = runner.RunAsync(stop.Token);
    }

    [Fact]
    public async Task A_workload_Deployment_runs_in_process_and_is_marked_available()
    {
        var deployment = await Eventually.ValueAsync(
            async () => await client.AppsV1.ReadNamespacedDeploymentAsync(Broker, Namespace) is { Status.AvailableReplicas: 1 } d ? d : null,
            "the broker's Deployment is available");

        Assert.Equal(deployment.Metadata.Generation, deployment.Status.ObservedGeneration);
        Assert.Contains(deployment.Status.Conditions, c => c.Type == "Available" && c.Status == "True");
        var broker = Assert.Single(runner.Running);
        Assert.Equal((Namespace, "broker", true), (broker.Namespace, broker.Component, broker.Ready));
    }

    [Fact]
    public async Task A_new_pod_template_restarts_the_component_and_a_deleted_Deployment_stops_it()
    {
        var first = await Eventually.ValueAsync(() => Task.FromResult(runner.Running.SingleOrDefault(w => w.Ready)), "the broker runs");

        await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"metadata":{"annotations":{"iotoperator.io/restarted":"1"}}}}}""", V1Patch.PatchType.MergePatch), Broker, Namespace);
        var second = await Eventually.ValueAsync(() => Task.FromResult(runner.Running.SingleOrDefault(w => w.Ready && !ReferenceEquals(w, first))), "a new broker runs");
        Assert.Equal(first.HttpPort, second.HttpPort); // comes back where it was

        await client.AppsV1.DeleteNamespacedDeploymentAsync(Broker, Namespace);
        await Eventually.TrueAsync(() => runner.Running.Count == 0, "the broker is stopped");
    }

    public async Task DisposeAsync()
    {
        await stop.CancelAsync();
        await running;
        await runner.DisposeAsync();
        client.Dispose();
        await cluster.DisposeAsync();
        stop.Dispose();
        directory.Dispose();
    }
}
