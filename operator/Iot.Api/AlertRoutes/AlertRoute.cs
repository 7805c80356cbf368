using Iot.Api.Common;
using Iot.Api.Crds;

using k8s.Models;

namespace Iot.Api.AlertRoutes;

/// <summary>
/// An AlertRoute sends the alerts it matches to its receivers, Alertmanager-style: routes are tried in ascending
/// priority (then name); matching alerts are grouped, throttled, inhibited and muted as configured.
/// </summary>
[KubernetesEntity(Group = IotApi.Group, ApiVersion = IotApi.Version, Kind = "AlertRoute", PluralName = "alertroutes")]
[ResourceNames("alertroute", "alertroute")]
[PrinterColumn("Receivers", ".spec.receivers[*].name")]
[PrinterColumn("Priority", ".spec.priority", "integer")]
[PrinterColumn("Ready", ".status.conditions[?(@.type==\"Ready\")].status", Description = "The status of the Ready condition: True, False or Unknown.")]
[PrinterColumn("Age", ".metadata.creationTimestamp", "date")]
public sealed class AlertRoute : CustomResource<AlertRouteSpec, AlertRouteStatus>
{
    /// <summary>Creates an empty AlertRoute with apiVersion and kind set.</summary>
    public AlertRoute() => Kind = "AlertRoute";
}
