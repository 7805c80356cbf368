using System.Collections.Frozen;

using Iot.Api.Devices;

namespace Iot.Ingest.Devices;

/// <summary>What ingest needs to know of a Device to accept its telemetry: schema, room, type, whether it is disabled.</summary>
internal sealed class DeviceProfile
{
    private static readonly FrozenDictionary<string, TelemetryField> NoFields = FrozenDictionary<string, TelemetryField>.Empty;

    private DeviceProfile(string id, string? room, string type, bool disabled, string credentialsSecret, FrozenDictionary<string, TelemetryField> schema)
    {
        Id = id;
        Room = room;
        Type = type;
        Disabled = disabled;
        CredentialsSecret = credentialsSecret;
        Schema = schema;
        SchemaByName = schema.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    /// <summary>The device id (metadata.name).</summary>
    public string Id { get; }

    /// <summary>The Room, which selects the raw retention policy; null for <c>default_raw</c>.</summary>
    public string? Room { get; }

    /// <summary>The device type (the <c>type</c> tag).</summary>
    public string Type { get; }

    /// <summary>spec.disabled: its telemetry is refused.</summary>
    public bool Disabled { get; }

    /// <summary>The Secret with its password hash: spec.auth.existingSecret, else status.credentialsSecret, else the operator's name for it.</summary>
    public string CredentialsSecret { get; }

    /// <summary>The declared telemetry fields by name; empty when the Device accepts any scalar field.</summary>
    public FrozenDictionary<string, TelemetryField> Schema { get; }

    /// <summary><see cref="Schema"/> looked up by a span, so that parsing needs no string per field name.</summary>
    public FrozenDictionary<string, TelemetryField>.AlternateLookup<ReadOnlySpan<char>> SchemaByName { get; }

    /// <summary>True when the Device declares no telemetry fields and so accepts any scalar field.</summary>
    public bool AcceptsAnyField => Schema.Count == 0;

    public static DeviceProfile From(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var id = device.Metadata.Name;
        var fields = device.Spec.Telemetry is { Count: > 0 } telemetry
            ? telemetry.GroupBy(f => f.Name, StringComparer.Ordinal).ToFrozenDictionary(g => g.Key, g => g.Last(), StringComparer.Ordinal)
            : NoFields;
        return new DeviceProfile(
            id,
            string.IsNullOrEmpty(device.Spec.Room) ? null : device.Spec.Room,
            device.Spec.Type,
            device.Spec.Disabled == true,
            device.Spec.Auth?.ExistingSecret ?? device.Status?.CredentialsSecret ?? Api.Devices.CredentialsSecret.NameFor(id),
            fields);
    }
}
