using Iot.Api.Devices;
using Iot.Api.Expressions;
using Iot.Api.Validation;

namespace Iot.Rules.Engine;

/// <summary>
/// What the engine needs of a Device, taken once when the Device is upserted: identity, type, room and labels for
/// selectors, expressions and alert labels; commands for command actions; the telemetry schema for type checks.
/// </summary>
internal sealed class DeviceInfo
{
    private DeviceInfo(Device device)
    {
        Id = device.Metadata.Name;
        Type = device.Spec.Type;
        Room = string.IsNullOrEmpty(device.Spec.Room) ? null : device.Spec.Room;
        Labels = new Dictionary<string, string>(device.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        Commands = new HashSet<string>(device.Spec.Commands ?? [], StringComparer.Ordinal);
        Scope = ResourceSetValidator.Scope(device);
        Telemetry = Scope.Fields;
        SchemaKey = Telemetry is null ? "" : string.Join(",", device.Spec.Telemetry!.Select(f => $"{f.Name}:{f.Type}"));
        MatchKey = string.Join("\n", Type, Room, SchemaKey,
            string.Join(",", Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")));
    }

    public string Id { get; }

    public string Type { get; }

    /// <summary>spec.room; null when unset or empty.</summary>
    public string? Room { get; }

    /// <summary>The Device's labels (a Dictionary, so label selector requirements can read it as is).</summary>
    public Dictionary<string, string> Labels { get; }

    public IReadOnlySet<string> Commands { get; }

    /// <summary>Field name to type; null when the Device declares no schema (any field is accepted).</summary>
    public IReadOnlyDictionary<string, TelemetryType>? Telemetry { get; }

    /// <summary>The expression scope the operator checks rules against for this device.</summary>
    public ExpressionScope Scope { get; }

    /// <summary>Identifies the schema, so expressions are type-checked once per distinct schema.</summary>
    public string SchemaKey { get; }

    /// <summary>
    /// What decides which rules select the device and whether they fit its schema; a Device update that keeps it
    /// (a status, annotation or commands change) only replaces the info.
    /// </summary>
    public string MatchKey { get; }

    public static DeviceInfo From(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        if (string.IsNullOrEmpty(device.Metadata?.Name))
        {
            throw new ArgumentException("A Device needs metadata.name (the device id).", nameof(device));
        }

        return new DeviceInfo(device);
    }
}
