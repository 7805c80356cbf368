using Iot.Api.AlertRoutes;
using Iot.Api.Alerts;
using Iot.Api.Common;

using k8s.Models;

namespace Iot.Notify.Tests.Support;

/// <summary>AlertRoutes and alert events for tests.</summary>
internal static class TestRoutes
{
    public const string Namespace = "building-a";

    public static AlertRoute Route(string name, int priority = 100, string[]? matchers = null, string[]? groupBy = null, bool @continue = false,
        string groupWait = "30s", string groupInterval = "5m", string repeatInterval = "4h", params Receiver[] receivers) => new()
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
            Spec = new AlertRouteSpec
            {
                Priority = priority,
                Matchers = matchers is null ? null : [.. matchers],
                GroupBy = groupBy is null ? null : [.. groupBy],
                Continue = @continue,
                GroupWait = groupWait,
                GroupInterval = groupInterval,
                RepeatInterval = repeatInterval,
                Receivers = receivers.Length > 0 ? [.. receivers] : [Webhook("hook", "http://127.0.0.1:9/hook")],
            },
        };

    public static Receiver Webhook(string name, string url, string? tokenSecret = null, string timeout = "5s") => new()
    {
        Name = name,
        Webhook = new WebhookReceiver { Url = url, Timeout = timeout, TokenSecretRef = tokenSecret is null ? null : new SecretKeySelector { Name = tokenSecret, Key = "token" } },
    };

    public static AlertEvent Firing(string rule, string device, string? room = null, DateTimeOffset? startsAt = null, params (string Name, string Value)[] labels) => new()
    {
        Fingerprint = AlertEvent.FingerprintOf(Namespace, rule, device),
        Status = AlertStatus.Firing,
        Namespace = Namespace,
        Rule = rule,
        Device = device,
        Room = room,
        Labels = labels.ToDictionary(l => l.Name, l => l.Value),
        Annotations = new Dictionary<string, string> { ["summary"] = $"{rule} on {device}" },
        Value = 31.5,
        StartsAt = startsAt ?? new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
    };

    public static AlertEvent Resolved(AlertEvent firing, DateTimeOffset endsAt) => firing with { Status = AlertStatus.Resolved, EndsAt = endsAt };
}
