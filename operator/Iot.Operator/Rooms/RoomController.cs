using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Api.Validation;
using Iot.Kube;
using Iot.Operator.Common;

using k8s;

namespace Iot.Operator.Rooms;

/// <summary>
/// Keeps each Room's status: deviceCount (the Devices of its namespace whose spec.room names it), observedGeneration and
/// the Ready condition (False with reason InvalidSpec and the <c>field: message</c> errors of
/// <see cref="ResourceValidator"/>, else True). Retention is applied to InfluxDB by a later change; until then this
/// controller neither applies it nor sets status.retention or a RetentionApplied condition.
/// </summary>
public sealed class RoomController(IKubernetes client, TimeProvider time) : IReconciler<Room>
{
    /// <summary>Where Rooms live in the API.</summary>
    public static readonly KubeResource Rooms = KubeResource.For<Room>();

    /// <summary>Where Devices live in the API.</summary>
    public static readonly KubeResource Devices = KubeResource.For<Device>();

    private readonly StatusPatcher patcher = new(client);
    private Informer<Device>? deviceCache;

    /// <summary>
    /// A Room controller that also watches Devices: a Device change requeues the room it names before and after the
    /// change (the informer hands over both versions), so a Device moving rooms recounts both.
    /// </summary>
    public static Controller<Room> Create(IKubernetes client, TimeProvider time, ControllerOptions? options = null)
    {
        var reconciler = new RoomController(client, time);

        // Only spec changes (a Device moving rooms) and deletes can change a count: status writes are filtered out.
        var controller = new Controller<Room>(client, Rooms, reconciler, options ?? new ControllerOptions { Name = "room" })
            .Watches<Device>(Devices, RoomKeys, predicate: EventPredicates.GenerationChanged<Device>());
        reconciler.deviceCache = controller.InformerOf<Device>();
        return controller;
    }

    /// <summary>The key of the Room <paramref name="device"/> names, if any.</summary>
    internal static IEnumerable<string> RoomKeys(Device device) =>
        device.Spec?.Room is { Length: > 0 } room ? [ResourceClient<Room>.KeyOf(device.Metadata.NamespaceProperty, room)] : [];

    /// <inheritdoc />
    public async Task<ReconcileResult> ReconcileAsync(string key, Room? cached, CancellationToken cancellationToken)
    {
        if (cached is null)
        {
            return ReconcileResult.Done;
        }

        var ns = cached.Metadata.NamespaceProperty;
        var name = cached.Metadata.Name;
        var inRoom = (deviceCache ?? throw new InvalidOperationException("The reconciler reads the Device cache of the controller Create builds"))
            .CountWhere(ns, d => d.Spec?.Room == name);

        var status = Copy(cached.Status);
        status.DeviceCount = inRoom;
        status.ObservedGeneration = cached.Metadata.Generation;
        status.Conditions ??= [];
        var errors = ResourceValidator.Validate(cached);
        if (errors.Count > 0)
        {
            ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.False, "InvalidSpec", ResourceConditions.Describe(errors), cached.Metadata.Generation, time);
        }
        else
        {
            ResourceConditions.Set(status.Conditions, ResourceConditions.Ready, ConditionStatus.True, "Reconciled", $"{inRoom} device(s) in the room", cached.Metadata.Generation, time);
        }

        await patcher.PatchAsync(Rooms, cached, status, cancellationToken).ConfigureAwait(false);
        return ReconcileResult.Done;
    }

    private static RoomStatus Copy(RoomStatus? status) =>
        status is null ? new RoomStatus() : KubernetesJson.Deserialize<RoomStatus>(KubernetesJson.Serialize(status));
}
