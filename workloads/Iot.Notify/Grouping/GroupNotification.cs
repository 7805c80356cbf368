using Iot.Api.AlertRoutes;
using Iot.Api.Alerts;

namespace Iot.Notify.Grouping;

/// <summary>
/// What a flush of an aggregation group decided to send: the group's firing alerts (not silenced, inhibited or
/// acknowledged) and the resolved alerts that were reported firing before, for each receiver of the route.
/// <see cref="Logged"/> is what the group's notification log holds afterwards: the alerts reported firing.
/// </summary>
public sealed record GroupNotification(
    string Route,
    string GroupKey,
    IReadOnlyDictionary<string, string> GroupLabels,
    IReadOnlyList<AlertEvent> Firing,
    IReadOnlyList<AlertEvent> Resolved,
    IReadOnlyList<Receiver> Receivers,
    DateTimeOffset At,
    IReadOnlyList<string> Logged);
