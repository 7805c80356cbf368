using System.Text.Json;

namespace Iot.Devices.Client;

/// <summary>A command received on the device's command topic: <c>{"name","payload","id","timestamp"}</c> (DESIGN.md §5).</summary>
/// <param name="Name">The command name (e.g. setpoint).</param>
/// <param name="Payload">Its payload (JSON null when absent).</param>
/// <param name="Id">The command id, when the sender gave one.</param>
/// <param name="Timestamp">When it was sent, when the sender said.</param>
public sealed record DeviceCommand(string Name, JsonElement Payload, string? Id, DateTimeOffset? Timestamp);
