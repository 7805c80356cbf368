using Iot.Api;
using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Chart.Tests.Support;
using Iot.LocalCluster.Http;
using Iot.Operator;
using Iot.Operator.Rooms;
using Iot.Operator.Workloads;
using Iot.Storage.Influx;

using k8s;
using k8s.Models;

using YamlDotNet.RepresentationModel;

namespace Iot.Chart.Tests.Rbac;

/// <summary>
/// The operator, leader-elected as the chart deploys it, taken through the life of the example building with a real
/// InfluxDB: every controller reconciles (Devices incl. a certificate device and a credentials rotation, Rooms with
/// retention, EdgeRules, AlertRoutes with Secret references, the workload stack, repaired after hand edits), InfluxDB drift is restored twice (an
/// Event, then its count), everything is deleted (finalizers removed, the stack pruned) and the Lease is released.
/// Run once; the tests read what it recorded.
/// </summary>
public sealed class FullLifecycleScenario : IAsyncLifetime
{
    /// <summary>The chart rendered with its default values.</summary>
    internal IReadOnlyList<YamlMappingNode> Chart { get; private set; } = [];

    /// <summary>The requests the operator made.</summary>
    internal IReadOnlyList<ApiRequest> Requests { get; private set; } = [];

    /// <summary>The Roles the operator created for the workloads while all four ran.</summary>
    internal IReadOnlyList<V1Role> WorkloadRoles { get; private set; } = [];

    public async Task InitializeAsync()
    {
        Chart = await HelmChart.RenderAsync();
        await using var influx = await InfluxDbServer.StartAsync();
        await using var run = await OperatorRun.StartClusterAsync(HelmChart.ReleaseNamespace);
        run.Start(new OperatorOptions
        {
            LeaseNamespace = HelmChart.ReleaseNamespace,
            Identity = "rbac-test",
            Retention = new RetentionOptions { InfluxDb = new InfluxOptions { Url = influx.Url }, Resync = TimeSpan.FromMilliseconds(500) },
            Workloads = new WorkloadOptions { InfluxDbUrl = influx.Url.ToString(), BrokerTlsSecret = "broker-tls", PostgresDsnSecret = "postgres" },
        });
        var client = run.Client;
        var ns = OperatorRun.Building;
        await run.WaitUntilBuildingRunsAsync();
        WorkloadRoles = [.. (await client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns, cancellationToken: run.Token)).Items];

        // Someone edits the broker's objects by hand: the operator puts them back.
        const string broker = "iot-broker";
        var tampered = new V1Patch(new { metadata = new { labels = new Dictionary<string, string> { [WorkloadStackBuilder.ComponentLabel] = "tampered" } } }, V1Patch.PatchType.MergePatch);
        await client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(new { spec = new { replicas = 3 } }, V1Patch.PatchType.MergePatch), broker, ns, cancellationToken: run.Token);
        await client.CoreV1.PatchNamespacedServiceAsync(tampered, broker, ns, cancellationToken: run.Token);
        await client.CoreV1.PatchNamespacedServiceAccountAsync(tampered, broker, ns, cancellationToken: run.Token);
        await client.RbacAuthorizationV1.PatchNamespacedRoleAsync(tampered, broker, ns, cancellationToken: run.Token);
        await client.RbacAuthorizationV1.PatchNamespacedRoleBindingAsync(tampered, broker, ns, cancellationToken: run.Token);
        await Eventually.TrueAsync(
            async () => (await client.AppsV1.ReadNamespacedDeploymentAsync(broker, ns, cancellationToken: run.Token)).Spec.Replicas == 1
                && (await client.CoreV1.ReadNamespacedServiceAsync(broker, ns, cancellationToken: run.Token)).Metadata.Labels[WorkloadStackBuilder.ComponentLabel] == "broker"
                && (await client.CoreV1.ReadNamespacedServiceAccountAsync(broker, ns, cancellationToken: run.Token)).Metadata.Labels[WorkloadStackBuilder.ComponentLabel] == "broker"
                && (await client.RbacAuthorizationV1.ReadNamespacedRoleAsync(broker, ns, cancellationToken: run.Token)).Metadata.Labels[WorkloadStackBuilder.ComponentLabel] == "broker"
                && (await client.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(broker, ns, cancellationToken: run.Token)).Metadata.Labels[WorkloadStackBuilder.ComponentLabel] == "broker",
            "the broker's Deployment, Service, ServiceAccount, Role and RoleBinding were repaired",
            run.Token);

        // InfluxDB drifts twice the same way: the first restore records a Warning Event, the second counts it up.
        using var influxClient = new InfluxClient(new InfluxOptions { Url = influx.Url });
        for (var count = 1; count <= 2; count++)
        {
            await influxClient.DropRetentionPolicyAsync(ns, "lab-1_5m", run.Token);
            await Eventually.TrueAsync(
                async () => (await client.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: run.Token)).Items.Any(e => e.Reason == "RetentionRestored" && e.Count >= count),
                $"drift {count} was restored and recorded",
                run.Token);
        }

        // A credentials rotation rewrites a Device's Secret.
        var before = (await client.CoreV1.ReadNamespacedSecretAsync("thermo-101-credentials", ns, cancellationToken: run.Token)).Data["password"];
        await client.CustomObjects.PatchNamespacedCustomObjectAsync(
            new V1Patch(new { metadata = new { annotations = new Dictionary<string, string> { [CredentialsSecret.RotateAnnotation] = "1" } } }, V1Patch.PatchType.MergePatch), IotApi.Group, IotApi.Version, ns, "devices", "thermo-101", cancellationToken: run.Token);
        await Eventually.TrueAsync(
            async () => !(await client.CoreV1.ReadNamespacedSecretAsync("thermo-101-credentials", ns, cancellationToken: run.Token)).Data["password"].AsSpan().SequenceEqual(before),
            "the rotated credentials were issued",
            run.Token);

        // Everything goes: Room finalizers are removed after InfluxDB cleanup, the workload stack is pruned.
        foreach (var plural in new[] { "alertroutes", "rooms", "edgerules", "devices" })
        {
            await client.CustomObjects.DeleteCollectionNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, ns, plural, cancellationToken: run.Token);
        }

        await Eventually.TrueAsync(
            async () => (await client.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: run.Token)).Items.Count == 0
                && (await client.RbacAuthorizationV1.ListNamespacedRoleAsync(ns, cancellationToken: run.Token)).Items.Count == 0
                && !(await client.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: run.Token)).Items.Any(s => s.Metadata.Name == WorkloadSecrets.InternalCredentials)
                && (await client.CustomObjects.ListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, ns, "rooms", cancellationToken: run.Token)) is System.Text.Json.JsonElement rooms
                && rooms.GetProperty("items").GetArrayLength() == 0,
            "the rooms were finalized and the workload stack pruned",
            run.Token);

        await run.StopAsync();
        Requests = run.OperatorRequests;
    }

    public Task DisposeAsync() => Task.CompletedTask;
}
