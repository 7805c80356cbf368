using Iot.Api.Common;
using Iot.Api.Crds;

using k8s.Models;

namespace Iot.Api.EdgeRules;

/// <summary>
/// An EdgeRule watches the telemetry of the devices it selects and acts when its condition holds:
/// raises an alert, sends a device command or republishes. Evaluated by the ingest workload as data streams in.
/// </summary>
[KubernetesEntity(Group = IotApi.Group, ApiVersion = IotApi.Version, Kind = "EdgeRule", PluralName = "edgerules")]
[ResourceNames("edgerule", "edgerule")]
[PrinterColumn("Kind", ".status.conditionKind")]
[PrinterColumn("Devices", ".status.matchedDevices", "integer")]
[PrinterColumn("Mode", ".spec.mode")]
[PrinterColumn("Ready", ".status.conditions[?(@.type==\"Ready\")].status", Description = "The status of the Ready condition: True, False or Unknown.")]
[PrinterColumn("Age", ".metadata.creationTimestamp", "date")]
public sealed class EdgeRule : CustomResource<EdgeRuleSpec, EdgeRuleStatus>
{
    /// <summary>Creates an empty EdgeRule with apiVersion and kind set.</summary>
    public EdgeRule() => Kind = "EdgeRule";
}
