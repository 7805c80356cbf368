using System.Net;

using Iot.Api;
using Iot.Api.Common;
using Iot.Api.Devices;

using k8s;
using k8s.Models;

namespace Iot.LocalCluster.Tests.Http;

public sealed class LifecycleTests
{
    [Fact]
    public async Task Writes_to_the_main_resource_ignore_status()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var device = Clusters.NewDevice("a");
        device.Status = new DeviceStatus { Phase = DevicePhase.Ready };
        var created = await client.CreateDeviceAsync(device);
        Assert.Null(created.Status);
        var patched = await client.PatchDeviceAsync("a", """{"status":{"phase":"Ready"},"spec":{"room":"lab-1"}}""");
        Assert.Null(patched.Status);
        Assert.Equal("lab-1", patched.Spec.Room);
    }

    [Fact]
    public async Task Writes_to_status_ignore_everything_else()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        var patched = await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync<Device>(
            new V1Patch("""{"status":{"phase":"Ready","conditions":[{"type":"Ready","status":"True","reason":"Provisioned","lastTransitionTime":"2026-01-01T00:00:00Z"}]},"spec":{"room":"lab-9"}}""", V1Patch.PatchType.MergePatch),
            IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", "a");
        Assert.Equal(DevicePhase.Ready, patched.Status!.Phase);
        Assert.Equal(ConditionStatus.True, patched.Status.Conditions![0].Status);
        Assert.Null(patched.Spec.Room);
        Assert.Equal(1, patched.Metadata.Generation);
    }

    [Fact]
    public async Task Deployment_status_changes_only_through_its_status_subresource()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(VerbTests.Deployment("web", ("app", "nginx:1")), Clusters.Namespace);
        var status = await client.AppsV1.PatchNamespacedDeploymentStatusAsync(new V1Patch("""{"status":{"availableReplicas":1,"readyReplicas":1}}""", V1Patch.PatchType.MergePatch), "web", Clusters.Namespace);
        Assert.Equal(1, status.Status.AvailableReplicas);
    }

    [Fact]
    public async Task An_object_with_finalizers_is_kept_until_they_are_removed()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var device = Clusters.NewDevice("a");
        device.Metadata.Finalizers = ["iotoperator.io/credentials"];
        await client.CreateDeviceAsync(device);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", "a");
        var deleting = await client.GetDeviceAsync("a");
        Assert.NotNull(deleting.Metadata.DeletionTimestamp);
        await client.PatchDeviceAsync("a", """{"metadata":{"finalizers":null}}""");
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.GetDeviceAsync("a"))).Code);
    }

    [Fact]
    public async Task Owned_objects_are_garbage_collected_with_their_owner()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var device = await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        await client.CoreV1.CreateNamespacedSecretAsync(OwnedSecret("a-credentials", device), Clusters.Namespace);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", "a");
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.CoreV1.ReadNamespacedSecretAsync("a-credentials", Clusters.Namespace))).Code);
    }

    [Fact]
    public async Task Orphan_propagation_keeps_dependents_without_the_owner_reference()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var device = await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        await client.CoreV1.CreateNamespacedSecretAsync(OwnedSecret("a-credentials", device), Clusters.Namespace);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", "a", propagationPolicy: "Orphan");
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("a-credentials", Clusters.Namespace);
        Assert.Empty(secret.Metadata.OwnerReferences ?? []);
    }

    [Fact]
    public async Task Foreground_propagation_waits_for_blocking_dependents()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var device = await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        var secret = OwnedSecret("a-credentials", device);
        secret.Metadata.Finalizers = ["test/hold"];
        await client.CoreV1.CreateNamespacedSecretAsync(secret, Clusters.Namespace);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", "a", propagationPolicy: "Foreground");
        var owner = await client.GetDeviceAsync("a");
        Assert.Contains("foregroundDeletion", owner.Metadata.Finalizers);
        await client.CoreV1.PatchNamespacedSecretAsync(new V1Patch("""{"metadata":{"finalizers":null}}""", V1Patch.PatchType.MergePatch), "a-credentials", Clusters.Namespace);
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.GetDeviceAsync("a"))).Code);
    }

    private static V1Secret OwnedSecret(string name, Device owner) => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            OwnerReferences = [new V1OwnerReference { ApiVersion = owner.ApiVersion, Kind = owner.Kind, Name = owner.Metadata.Name, Uid = owner.Metadata.Uid, BlockOwnerDeletion = true, Controller = true }],
        },
        StringData = new Dictionary<string, string> { ["password"] = "x" },
    };
}
