using Iot.Analytics.Inventory;
using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Kube;
using Iot.LocalCluster;

using k8s;
using k8s.Models;

using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Analytics.Tests.Inventory;

/// <summary>The inventory kept from a Kubernetes API (the local cluster over real HTTP): Devices and Rooms of one namespace.</summary>
public sealed class KubernetesInventorySourceTests
{
    [Fact]
    public async Task The_inventory_mirrors_the_namespaces_Devices_and_Rooms_and_follows_their_changes()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        using var client = cluster.CreateClient();
        foreach (var ns in new[] { AnalyticsHost.Namespace, "other" })
        {
            await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        }

        var devices = new ResourceClient<Device>(client, KubeResource.For<Device>());
        var rooms = new ResourceClient<Room>(client, KubeResource.For<Room>());
        await rooms.CreateAsync(Resources.Room("lab-1"));
        await devices.CreateAsync(Resources.Device("t1", "lab-1"));
        var elsewhere = Resources.Device("x1", "lab-1");
        elsewhere.Metadata.NamespaceProperty = "other";
        await devices.CreateAsync(elsewhere);

        var inventory = new DeviceInventory();
        using var source = new KubernetesInventorySource(client, AnalyticsHost.Namespace, inventory, TimeProvider.System, NullLogger<KubernetesInventorySource>.Instance);
        await source.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => inventory.IsSynced, "the first listings are in");
            Assert.Equal(["t1"], inventory.Devices().Select(d => d.Metadata.Name));
            Assert.Equal(["t1"], inventory.DevicesIn("lab-1").Select(d => d.Metadata.Name));
            Assert.Equal("temperature", inventory.Room("lab-1")!.Spec.Metrics![0].Field);

            await devices.CreateAsync(Resources.Device("t2", "lab-1"));
            await devices.MergePatchAsync("t1", AnalyticsHost.Namespace, new { spec = new { room = "hall" } });
            await rooms.DeleteAsync("lab-1", AnalyticsHost.Namespace);

            await Eventually.TrueAsync(() => inventory.Room("lab-1") is null && inventory.DevicesIn("hall").Count == 1 && inventory.Devices().Count == 2, "the changes arrived");
            Assert.Equal(["t2"], inventory.DevicesIn("lab-1").Select(d => d.Metadata.Name));
            Assert.Equal("hall", inventory.Device("t1")!.Spec.Room);
        }
        finally
        {
            await source.StopAsync(CancellationToken.None);
        }
    }
}
