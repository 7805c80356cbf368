using Iot.Api.Validation;

namespace Iot.Api.Devices;

/// <summary>Device checks beyond the schema.</summary>
internal static class DeviceValidation
{
    public static void Validate(DeviceSpec spec, List<FieldError> errors)
    {
        var telemetry = spec.Telemetry ?? [];
        ResourceValidator.CheckUnique(telemetry.Select(f => f.Name), i => $"spec.telemetry[{i}].name", "telemetry field", errors);
        for (var i = 0; i < telemetry.Count; i++)
        {
            var field = telemetry[i];
            var numeric = field.Type is TelemetryType.Number or TelemetryType.Integer;
            if (!numeric && (field.Min is not null || field.Max is not null))
            {
                errors.Add(new FieldError($"spec.telemetry[{i}].{(field.Min is not null ? "min" : "max")}",
                    $"min and max apply to number and integer fields only; \"{field.Name}\" is {field.Type.ToString().ToLowerInvariant()}", FieldErrorKind.Forbidden));
            }

            if (field.Min > field.Max)
            {
                errors.Add(new FieldError($"spec.telemetry[{i}].min", $"min ({field.Min}) is greater than max ({field.Max})"));
            }
        }

        ResourceValidator.CheckDuration(spec.Heartbeat?.Timeout, "spec.heartbeat.timeout", errors, TimeSpan.FromSeconds(1));

        var commands = spec.Commands ?? [];
        ResourceValidator.CheckUnique(commands, i => $"spec.commands[{i}]", "command", errors);
        for (var i = 0; i < commands.Count; i++)
        {
            if (!System.Text.RegularExpressions.Regex.IsMatch(commands[i], "^[A-Za-z0-9_.-]+$"))
            {
                errors.Add(new FieldError($"spec.commands[{i}]", $"\"{commands[i]}\" is not a command name: use letters, digits, '_', '.' and '-'"));
            }
        }
    }
}
