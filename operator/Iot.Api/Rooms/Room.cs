using Iot.Api.Common;
using Iot.Api.Crds;

using k8s.Models;

namespace Iot.Api.Rooms;

/// <summary>
/// A Room groups devices (through Device.spec.room), defines the aggregates analytics serves for it,
/// and how long its telemetry is kept, raw and rolled up.
/// </summary>
[KubernetesEntity(Group = IotApi.Group, ApiVersion = IotApi.Version, Kind = "Room", PluralName = "rooms")]
[ResourceNames("room", "room")]
[PrinterColumn("Devices", ".status.deviceCount", "integer")]
[PrinterColumn("Retention", ".spec.retention.raw")]
[PrinterColumn("Ready", ".status.conditions[?(@.type==\"Ready\")].status", Description = "The status of the Ready condition: True, False or Unknown.")]
[PrinterColumn("Age", ".metadata.creationTimestamp", "date")]
public sealed class Room : CustomResource<RoomSpec, RoomStatus>
{
    /// <summary>Creates an empty Room with apiVersion and kind set.</summary>
    public Room() => Kind = "Room";
}
