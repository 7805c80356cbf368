using Iot.Api.AlertRoutes;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Expressions;
using Iot.Api.Rooms;

using k8s;
using k8s.Models;

namespace Iot.Api.Validation;

/// <summary>
/// Checks between objects of one set (the files a GitOps pipeline is about to apply): Device rooms exist, EdgeRule fields
/// exist with the right type in the telemetry of the devices they select, command targets declare their commands,
/// referenced Secrets hold the referenced keys. Objects are related only within one namespace.
/// </summary>
public static class ResourceSetValidator
{
    /// <summary>The findings for <paramref name="objects"/>; <paramref name="secrets"/> are the Secrets in the same set.</summary>
    public static IReadOnlyList<Finding> Validate(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> objects, IReadOnlyList<V1Secret> secrets)
    {
        var findings = new List<Finding>();
        foreach (var duplicate in objects.GroupBy(o => (o.Kind, Ns(o), o.Metadata.Name)).Where(g => g.Count() > 1 && g.Key.Name is not null))
        {
            foreach (var o in duplicate.Skip(1))
            {
                findings.Add(new Finding(o, new FieldError("metadata.name", $"{o.Kind} \"{o.Metadata.Name}\" is defined more than once in namespace {NsLabel(o)}", FieldErrorKind.Duplicate)));
            }
        }

        foreach (var ns in objects.GroupBy(Ns))
        {
            var set = new NamespaceSet([.. ns.OfType<Device>()], [.. ns.OfType<Room>()], [.. secrets.Where(s => (s.Metadata.NamespaceProperty ?? "") == ns.Key)]);
            foreach (var device in set.Devices)
            {
                CheckDevice(device, set, findings);
            }

            foreach (var rule in ns.OfType<EdgeRule>())
            {
                CheckRule(rule, set, findings);
            }

            foreach (var route in ns.OfType<AlertRoute>())
            {
                CheckRoute(route, set, findings);
            }
        }

        return findings;
    }

    private sealed record NamespaceSet(List<Device> Devices, List<Room> Rooms, List<V1Secret> Secrets);

    private static string Ns(IKubernetesObject<V1ObjectMeta> o) => o.Metadata.NamespaceProperty ?? "";

    private static string NsLabel(IKubernetesObject<V1ObjectMeta> o) => o.Metadata.NamespaceProperty ?? "(unset)";

    private static void CheckDevice(Device device, NamespaceSet set, List<Finding> findings)
    {
        if (device.Spec.Room is { } room && set.Rooms.All(r => r.Metadata.Name != room))
        {
            findings.Add(new Finding(device, new FieldError("spec.room",
                $"Room \"{room}\" is not defined in namespace {NsLabel(device)}; rooms in the set: {List(set.Rooms.Select(r => r.Metadata.Name))}")));
        }

        if (device.Spec.Auth?.ExistingSecret is { } secret)
        {
            CheckSecret(device, "spec.auth.existingSecret", secret, device.Spec.Auth.Mode == DeviceAuthMode.Certificate ? ["tls.crt", "tls.key"] : ["username", "password"], set, findings);
        }
    }

    private static void CheckRule(EdgeRule rule, NamespaceSet set, List<Finding> findings)
    {
        var selector = rule.Spec.Selector;
        var rooms = selector.Rooms ?? [];
        for (var i = 0; i < rooms.Count; i++)
        {
            if (set.Rooms.All(r => r.Metadata.Name != rooms[i]))
            {
                findings.Add(new Finding(rule, new FieldError($"spec.selector.rooms[{i}]", $"Room \"{rooms[i]}\" is not defined in namespace {NsLabel(rule)}; rooms in the set: {List(set.Rooms.Select(r => r.Metadata.Name))}")));
            }
        }

        var matched = set.Devices.Where(selector.Matches).ToList();
        if (matched.Count == 0)
        {
            findings.Add(new Finding(rule, new FieldError("spec.selector", "matches no Device in the given files"), IsWarning: true));
        }

        CheckCondition(rule, rule.Spec.Condition, "spec.condition", matched, findings);
        if (rule.Spec.Clear is { } clear)
        {
            CheckCondition(rule, clear, "spec.clear", matched, findings);
        }

        for (var i = 0; i < rule.Spec.Actions.Count; i++)
        {
            if (rule.Spec.Actions[i].Command is not { } command)
            {
                continue;
            }

            var path = $"spec.actions[{i}].command";
            if (command.Device == "self")
            {
                var lacking = matched.Where(d => !(d.Spec.Commands ?? []).Contains(command.Name)).ToList();
                if (lacking.Count > 0)
                {
                    findings.Add(new Finding(rule, new FieldError(path + ".name",
                        $"command \"{command.Name}\" is not in spec.commands of selected device(s) {List(lacking.Select(d => d.Metadata.Name))}")));
                }
            }
            else if (set.Devices.FirstOrDefault(d => d.Metadata.Name == command.Device) is not { } target)
            {
                findings.Add(new Finding(rule, new FieldError(path + ".device", $"Device \"{command.Device}\" is not defined in namespace {NsLabel(rule)}")));
            }
            else if (!(target.Spec.Commands ?? []).Contains(command.Name))
            {
                findings.Add(new Finding(rule, new FieldError(path + ".name",
                    $"Device \"{target.Metadata.Name}\" does not declare command \"{command.Name}\"; its commands: {List(target.Spec.Commands ?? [])}")));
            }
        }
    }

    private static void CheckCondition(EdgeRule rule, RuleCondition condition, string path, List<Device> matched, List<Finding> findings)
    {
        // Devices without a telemetry schema accept any field, so only devices with one can contradict the rule.
        var typed = matched.Where(d => d.Spec.Telemetry is { Count: > 0 }).ToList();
        var (field, fieldPath, numeric) = condition switch
        {
            { Threshold: { } t } => (t.Field, ".threshold.field", true),
            { Window: { } w } => (w.Field, ".window.field", w.Function != Aggregate.Count),
            { RateOfChange: { } r } => (r.Field, ".rateOfChange.field", true),
            { Anomaly: { } a } => (a.Field, ".anomaly.field", true),
            _ => (null, "", false),
        };
        if (field is not null)
        {
            var missing = typed.Where(d => d.Spec.Telemetry!.All(f => f.Name != field)).ToList();
            if (missing.Count > 0)
            {
                findings.Add(new Finding(rule, new FieldError(path + fieldPath,
                    $"field \"{field}\" is not in the telemetry of selected device(s) {Devices(missing)}")));
            }

            var wrongType = typed.Where(d => d.Spec.Telemetry!.Any(f => f.Name == field && f.Type is not (TelemetryType.Number or TelemetryType.Integer))).ToList();
            if (numeric && wrongType.Count > 0)
            {
                var type = wrongType[0].Spec.Telemetry!.First(f => f.Name == field).Type.ToString().ToLowerInvariant();
                findings.Add(new Finding(rule, new FieldError(path + fieldPath,
                    $"field \"{field}\" must be a number or integer but is {type} in the telemetry of {Devices(wrongType)}")));
            }
        }

        if (condition.Expression is { } expression && RuleExpression.Parse(expression).Succeeded)
        {
            // One check per distinct schema; identical errors from several schemas are reported once, naming all devices.
            var errors = typed
                .GroupBy(d => string.Join(",", d.Spec.Telemetry!.Select(f => $"{f.Name}:{f.Type}")))
                .SelectMany(g => RuleExpression.Check(expression, Scope(g.First())).Errors.Select(e => (Error: e.ToString(), Devices: g.ToList())))
                .GroupBy(e => e.Error);
            foreach (var error in errors)
            {
                findings.Add(new Finding(rule, new FieldError(path + ".expression",
                    $"{error.Key} (in the telemetry of {Devices([.. error.SelectMany(e => e.Devices)])})")));
            }
        }
    }

    /// <summary>The expression scope of one device: its telemetry fields, or dynamic when it has no schema.</summary>
    public static ExpressionScope Scope(Device device) =>
        new(device.Spec.Telemetry is { Count: > 0 } telemetry ? telemetry.ToDictionary(f => f.Name, f => f.Type) : null);

    private static void CheckRoute(AlertRoute route, NamespaceSet set, List<Finding> findings)
    {
        for (var i = 0; i < route.Spec.Receivers.Count; i++)
        {
            var receiver = route.Spec.Receivers[i];
            var path = $"spec.receivers[{i}]";
            if (receiver.Webhook?.TokenSecretRef is { } token)
            {
                CheckSecret(route, path + ".webhook.tokenSecretRef", token.Name, [token.Key], set, findings);
            }

            if (receiver.Slack?.UrlSecretRef is { } url)
            {
                CheckSecret(route, path + ".slack.urlSecretRef", url.Name, [url.Key], set, findings);
            }

            if (receiver.Email?.AuthSecretRef is { } auth)
            {
                CheckSecret(route, path + ".email.authSecretRef", auth.Name, ["username", "password"], set, findings);
            }
        }
    }

    // Secrets usually come from elsewhere (sealed or external secrets), so a Secret absent from the set is only a warning;
    // a Secret in the set that lacks the key is an error.
    private static void CheckSecret(IKubernetesObject<V1ObjectMeta> owner, string path, string name, string[] keys, NamespaceSet set, List<Finding> findings)
    {
        var secret = set.Secrets.FirstOrDefault(s => s.Metadata.Name == name);
        if (secret is null)
        {
            findings.Add(new Finding(owner, new FieldError(path, $"Secret \"{name}\" is not in the given files; it must exist in namespace {NsLabel(owner)} with key(s) {string.Join(", ", keys)}"), IsWarning: true));
            return;
        }

        var present = (secret.Data?.Keys ?? []).Concat(secret.StringData?.Keys ?? []).ToHashSet();
        var missing = keys.Where(k => !present.Contains(k)).ToList();
        if (missing.Count > 0)
        {
            findings.Add(new Finding(owner, new FieldError(path, $"Secret \"{name}\" has no key(s) {string.Join(", ", missing)}; it has: {List(present)}")));
        }
    }

    // "thermo-1, thermo-2 (type thermostat), door-1 (type door-sensor)", at most five names.
    private static string Devices(List<Device> devices)
    {
        var shown = devices.Take(5).GroupBy(d => d.Spec.Type)
            .Select(g => $"{string.Join(", ", g.Select(d => d.Metadata.Name))} (type {g.Key})");
        var text = string.Join(", ", shown);
        return devices.Count > 5 ? $"{text} and {devices.Count - 5} more" : text;
    }

    private static string List(IEnumerable<string> names)
    {
        var list = names.Order(StringComparer.Ordinal).ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
