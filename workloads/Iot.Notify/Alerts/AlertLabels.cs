using Iot.Api.Alerts;

namespace Iot.Notify.Alerts;

/// <summary>The labels routes, silences and inhibit rules see: the event's labels plus its identity fields, which cannot be overridden.</summary>
public static class AlertLabels
{
    public static IReadOnlyDictionary<string, string> Of(AlertEvent alert)
    {
        var labels = new Dictionary<string, string>(alert.Labels, StringComparer.Ordinal)
        {
            ["alertname"] = alert.Labels.GetValueOrDefault("alertname") ?? alert.Rule,
            ["namespace"] = alert.Namespace,
            ["rule"] = alert.Rule,
            ["device"] = alert.Device,
        };
        if (alert.Room is { Length: > 0 } room)
        {
            labels["room"] = room;
        }

        return labels;
    }
}
