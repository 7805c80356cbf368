using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Kube;

using k8s;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Iot.Analytics.Inventory;

/// <summary>
/// Keeps <see cref="DeviceInventory"/> current from the Kubernetes API: one informer for the namespace's Devices and one
/// for its Rooms (list, then watch; resumed after drops). The inventory counts as synced once both first listings are in.
/// </summary>
public sealed partial class KubernetesInventorySource(IKubernetes client, string ns, DeviceInventory inventory, TimeProvider time, ILogger<KubernetesInventorySource> logger)
    : BackgroundService
{
    /// <inheritdoc/>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var options = new ReflectorOptions { Namespace = ns, Time = time, Logger = logger };
        var devices = new Informer<Device>(new ResourceClient<Device>(client, KubeResource.For<Device>()), options);
        devices.AddEventHandler(new ResourceEventHandler<Device>
        {
            OnAdd = inventory.Put,
            OnUpdate = (_, device) => inventory.Put(device),
            OnDelete = device => inventory.RemoveDevice(device.Metadata.Name),
        });
        var rooms = new Informer<Room>(new ResourceClient<Room>(client, KubeResource.For<Room>()), options);
        rooms.AddEventHandler(new ResourceEventHandler<Room>
        {
            OnAdd = inventory.Put,
            OnUpdate = (_, room) => inventory.Put(room),
            OnDelete = room => inventory.RemoveRoom(room.Metadata.Name),
        });

        var running = Task.WhenAll(devices.RunAsync(stoppingToken), rooms.RunAsync(stoppingToken));
        await Task.WhenAll(devices.WaitForSyncAsync(stoppingToken), rooms.WaitForSyncAsync(stoppingToken));
        inventory.MarkSynced();
        Log.Synced(logger, ns, devices.Count, rooms.Count);
        try
        {
            await running;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static partial class Log
    {
        [LoggerMessage(LogLevel.Information, "Inventory of namespace {Namespace} synced: {Devices} devices, {Rooms} rooms")]
        public static partial void Synced(ILogger logger, string @namespace, int devices, int rooms);
    }
}
