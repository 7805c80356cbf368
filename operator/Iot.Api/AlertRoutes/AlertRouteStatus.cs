using Iot.Api.Common;

namespace Iot.Api.AlertRoutes;

/// <summary>The observed state of an AlertRoute.</summary>
public sealed class AlertRouteStatus : ResourceStatus
{
    /// <summary>How many receivers are usable (their Secrets exist and hold the keys referenced).</summary>
    public int? ReadyReceivers { get; set; }
}
