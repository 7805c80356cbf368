using Iot.Api.Common;
using Iot.Api.Crds;

using k8s.Models;

namespace Iot.Api.Devices;

/// <summary>
/// A Device is one physical or simulated device. Its metadata.name is the device id: MQTT client id,
/// username and topic segment. The operator issues its credentials into a Secret and reports its topics.
/// </summary>
[KubernetesEntity(Group = IotApi.Group, ApiVersion = IotApi.Version, Kind = "Device", PluralName = "devices")]
[ResourceNames("device", "iotdev")]
[PrinterColumn("Type", ".spec.type")]
[PrinterColumn("Room", ".spec.room")]
[PrinterColumn("Online", ".status.connection.online", "boolean")]
[PrinterColumn("Ready", ".status.conditions[?(@.type==\"Ready\")].status", Description = "The status of the Ready condition: True, False or Unknown.")]
[PrinterColumn("Age", ".metadata.creationTimestamp", "date")]
public sealed class Device : CustomResource<DeviceSpec, DeviceStatus>
{
    /// <summary>Creates an empty Device with apiVersion and kind set.</summary>
    public Device() => Kind = "Device";
}
