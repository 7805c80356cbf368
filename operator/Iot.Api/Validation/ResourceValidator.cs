using System.Collections;
using System.Reflection;

using Iot.Api.AlertRoutes;
using Iot.Api.Common;
using Iot.Api.Crds;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Rooms;

using k8s;
using k8s.Models;

namespace Iot.Api.Validation;

/// <summary>
/// The checks of one object that its OpenAPI schema cannot express: durations that parse, unique names, matchers,
/// rule expressions, exactly one condition kind, and so on. Run after schema validation and defaulting;
/// the operator (for status) and <c>iotctl validate</c> both use it.
/// </summary>
public static class ResourceValidator
{
    /// <summary>Every error in <paramref name="resource"/>, in field order.</summary>
    public static IReadOnlyList<FieldError> Validate(IKubernetesObject<V1ObjectMeta> resource)
    {
        var errors = new List<FieldError>();
        ValidateName(resource, errors);
        var spec = resource.GetType().GetProperty("Spec")?.GetValue(resource);
        if (spec is not null)
        {
            ValidateExactlyOneOf(spec, "spec", errors);
        }

        switch (resource)
        {
            case Device device:
                DeviceValidation.Validate(device.Spec, errors);
                break;
            case Room room:
                RoomValidation.Validate(room.Spec, errors);
                break;
            case EdgeRule rule:
                EdgeRuleValidation.Validate(rule.Spec, errors);
                break;
            case AlertRoute route:
                AlertRouteValidation.Validate(route.Spec, errors);
                break;
        }

        return errors;
    }

    /// <summary>Adds an error unless <paramref name="value"/> is absent or a duration of at least <paramref name="minimum"/>.</summary>
    internal static TimeSpan? CheckDuration(string? value, string path, List<FieldError> errors, TimeSpan? minimum = null)
    {
        if (value is null)
        {
            return null;
        }

        if (!Duration.TryParse(value, out var span))
        {
            errors.Add(new FieldError(path, Duration.Describe(value)));
            return null;
        }

        if (span < (minimum ?? TimeSpan.FromTicks(1)))
        {
            errors.Add(new FieldError(path, $"must be at least {Duration.Format(minimum ?? TimeSpan.FromMilliseconds(1))}, got {value}"));
            return null;
        }

        return span;
    }

    /// <summary>Adds a Duplicate error for each value that repeats an earlier one.</summary>
    internal static void CheckUnique(IEnumerable<string?> values, Func<int, string> path, string what, List<FieldError> errors)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var i = 0;
        foreach (var value in values)
        {
            if (value is not null && !seen.Add(value))
            {
                errors.Add(new FieldError(path(i), $"duplicate {what} \"{value}\"", FieldErrorKind.Duplicate));
            }

            i++;
        }
    }

    private static void ValidateName(IKubernetesObject<V1ObjectMeta> resource, List<FieldError> errors)
    {
        var name = resource.Metadata?.Name;
        if (string.IsNullOrEmpty(name))
        {
            if (string.IsNullOrEmpty(resource.Metadata?.GenerateName))
            {
                errors.Add(new FieldError("metadata.name", "Required value: name or generateName is required", FieldErrorKind.Required));
            }

            return;
        }

        // Devices, Rooms and EdgeRules become MQTT topic segments, InfluxDB policy names and label values: DNS labels.
        var label = resource is not AlertRoute;
        var pattern = label ? Names.DnsLabelPattern : Names.DnsSubdomainPattern;
        var max = label ? 63 : 253;
        if (name.Length > max || !System.Text.RegularExpressions.Regex.IsMatch(name, pattern))
        {
            errors.Add(new FieldError("metadata.name", $"\"{name}\" must be a lowercase RFC 1123 {(label ? "label" : "subdomain")} of at most {max} characters (letters, digits and '-'{(label ? "" : ", '.'")}; starting and ending with a letter or digit)"));
        }
    }

    // Walks the object graph and checks every [ExactlyOneOf] class, so the rule is written once, on the type.
    private static void ValidateExactlyOneOf(object value, string path, List<FieldError> errors)
    {
        var type = value.GetType();
        if (type.GetCustomAttribute<ExactlyOneOfAttribute>() is { } oneOf)
        {
            var set = oneOf.Properties.Count(p => type.GetProperty(p)!.GetValue(value) is not null);
            if (set != 1)
            {
                var names = oneOf.Properties.Select(p => CrdGenerator.JsonName(type.GetProperty(p)!)).ToList();
                errors.Add(new FieldError(path, CrdGenerator.ExactlyOneMessage(names) + (set == 0 ? ", none is" : $", {set} are"),
                    set == 0 ? FieldErrorKind.Required : FieldErrorKind.Forbidden));
            }
        }

        foreach (var property in CrdGenerator.SerializedProperties(type))
        {
            var child = property.GetValue(value);
            var childPath = $"{path}.{CrdGenerator.JsonName(property)}";
            if (child is IList list)
            {
                for (var i = 0; i < list.Count; i++)
                {
                    if (list[i] is { } item && IsApiClass(item.GetType()))
                    {
                        ValidateExactlyOneOf(item, $"{childPath}[{i}]", errors);
                    }
                }
            }
            else if (child is not null && IsApiClass(child.GetType()))
            {
                ValidateExactlyOneOf(child, childPath, errors);
            }
        }
    }

    private static bool IsApiClass(Type type) => type.IsClass && type.Assembly == typeof(ResourceValidator).Assembly;
}
