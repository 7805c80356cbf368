using Iot.Api.Alerts;
using Iot.Api.EdgeRules;

using Iot.Rules.Engine;

namespace Iot.Rules.Actions;

/// <summary>
/// <c>alert</c>: an <see cref="AlertEvent"/> when the rule fires for a device and another when it resolves, with the
/// fingerprint of namespace, rule and device. Labels: the action's own, then (taking precedence, so that routing on
/// them cannot be spoofed) alertname, rule, device, room, type, severity and namespace.
/// </summary>
internal sealed class AlertStep(AlertAction action) : ActionStep
{
    private static readonly PlaceholderTemplate DefaultSummary = PlaceholderTemplate.Parse("EdgeRule {rule} fired for {device}");

    private readonly PlaceholderTemplate _summary = action.Summary is { } summary ? PlaceholderTemplate.Parse(summary) : DefaultSummary;
    private readonly PlaceholderTemplate? _description = action.Description is { } description ? PlaceholderTemplate.Parse(description) : null;
    private readonly KeyValuePair<string, string>[] _labels = [.. action.Labels ?? []];
    private readonly string _severity = action.Severity switch
    {
        Severity.Critical => "critical",
        Severity.Warning => "warning",
        _ => "info",
    };

    public override void Run(in Transition transition, RuleRuntime runtime)
    {
        var rule = transition.Binding.Rule;
        var device = transition.Device;
        var labels = new Dictionary<string, string>(_labels, StringComparer.Ordinal)
        {
            ["alertname"] = rule.Name,
            ["rule"] = rule.Name,
            ["device"] = device.Id,
            ["type"] = device.Type,
            ["severity"] = _severity,
            ["namespace"] = rule.Namespace,
        };
        if (device.Room is { } room)
        {
            labels["room"] = room;
        }
        else
        {
            labels.Remove("room");
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal) { ["summary"] = transition.Render(_summary) };
        if (_description is not null)
        {
            annotations["description"] = transition.Render(_description);
        }

        runtime.Sink.Alert(new AlertEvent
        {
            Fingerprint = AlertEvent.FingerprintOf(rule.Namespace, rule.Name, device.Id),
            Status = transition.Firing ? AlertStatus.Firing : AlertStatus.Resolved,
            Namespace = rule.Namespace,
            Rule = rule.Name,
            Device = device.Id,
            Room = device.Room,
            Labels = labels,
            Annotations = annotations,
            Value = transition.Value is { } value && double.IsFinite(value) ? value : null, // JSON has no NaN or infinity
            StartsAt = new DateTimeOffset(transition.StartedAt, TimeSpan.Zero),
            EndsAt = transition.Firing ? null : new DateTimeOffset(transition.Now, TimeSpan.Zero),
        });
    }
}
