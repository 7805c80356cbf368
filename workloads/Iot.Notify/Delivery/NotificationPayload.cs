using System.Text.Json;
using System.Text.Json.Serialization;

using Iot.Api.Alerts;
using Iot.Notify.Alerts;
using Iot.Notify.Grouping;

namespace Iot.Notify.Delivery;

/// <summary>
/// The JSON body a webhook receives (and the MQTT receiver publishes); Slack and email render from it.
/// <code>
/// {
///   "version": "1",
///   "id": "5f0c…",                       // notification id: the same on every retry, for de-duplication
///   "kind": "alerts",                    // or "message" for POST /notifications/send
///   "namespace": "building-a", "route": "ops", "receiver": "ops-hook",
///   "groupKey": "ops:{room=\"lab-1\"}",
///   "status": "firing",                  // "resolved" when every alert in it resolved
///   "groupLabels": {"room": "lab-1"}, "commonLabels": {…}, "commonAnnotations": {…},
///   "title": "[FIRING:1] overheat (room=lab-1)",
///   "message": null,                      // the text of an ad-hoc message
///   "alerts": [{"fingerprint": "…", "status": "firing", "labels": {…}, "annotations": {…}, "value": 31.5,
///               "startsAt": "…", "endsAt": null}]
/// }
/// </code>
/// </summary>
public sealed record NotificationPayload
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Version { get; init; } = "1";

    public required string Id { get; init; }

    /// <summary><c>alerts</c> or <c>message</c>.</summary>
    public required string Kind { get; init; }

    public required string Namespace { get; init; }

    public required string Route { get; init; }

    public required string Receiver { get; init; }

    public required string GroupKey { get; init; }

    /// <summary><c>firing</c> while any alert in it fires, else <c>resolved</c>.</summary>
    public required string Status { get; init; }

    public IReadOnlyDictionary<string, string> GroupLabels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> CommonLabels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> CommonAnnotations { get; init; } = new Dictionary<string, string>();

    /// <summary>One line for people: <c>[FIRING:2] rule (labels)</c>, or the ad-hoc message's title.</summary>
    public required string Title { get; init; }

    /// <summary>The ad-hoc message's text.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public string? Message { get; init; }

    public IReadOnlyList<PayloadAlert> Alerts { get; init; } = [];

    /// <summary>When the notification was made.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public static NotificationPayload Parse(string json) =>
        JsonSerializer.Deserialize<NotificationPayload>(json, Json) ?? throw new JsonException("a notification payload must be an object");

    /// <summary>The body for a group's notification to one receiver.</summary>
    public static NotificationPayload ForGroup(string id, string ns, string receiver, GroupNotification group)
    {
        var alerts = group.Firing.Concat(group.Resolved).ToList();
        var labels = alerts.Select(AlertLabels.Of).ToList();
        var status = group.Firing.Count > 0 ? "firing" : "resolved";
        var common = Common(labels);
        var alertName = common.GetValueOrDefault("alertname");
        var scope = group.GroupLabels.Count > 0 ? " (" + string.Join(", ", group.GroupLabels.Select(l => $"{l.Key}={l.Value}")) + ")" : "";
        return new NotificationPayload
        {
            Id = id,
            Kind = "alerts",
            Namespace = ns,
            Route = group.Route,
            Receiver = receiver,
            GroupKey = group.GroupKey,
            Status = status,
            GroupLabels = group.GroupLabels,
            CommonLabels = common,
            CommonAnnotations = Common(alerts.Select(a => a.Annotations).ToList()),
            Title = $"[{status.ToUpperInvariant()}:{(group.Firing.Count > 0 ? group.Firing.Count : group.Resolved.Count)}] {alertName ?? "alerts"}{scope}",
            Alerts = [.. alerts.Select((a, i) => new PayloadAlert(a.Fingerprint, a.Status == AlertStatus.Firing ? "firing" : "resolved", labels[i], a.Annotations, a.Value, a.StartsAt, a.EndsAt))],
            CreatedAt = group.At,
        };
    }

    private static Dictionary<string, string> Common(IReadOnlyList<IReadOnlyDictionary<string, string>> sets)
    {
        if (sets.Count == 0)
        {
            return [];
        }

        return sets[0].Where(l => sets.All(s => s.TryGetValue(l.Key, out var v) && v == l.Value)).ToDictionary(l => l.Key, l => l.Value, StringComparer.Ordinal);
    }
}

/// <summary>One alert in a <see cref="NotificationPayload"/>.</summary>
public sealed record PayloadAlert(
    string Fingerprint,
    string Status,
    IReadOnlyDictionary<string, string> Labels,
    IReadOnlyDictionary<string, string> Annotations,
    double? Value,
    DateTimeOffset StartsAt,
    DateTimeOffset? EndsAt);
