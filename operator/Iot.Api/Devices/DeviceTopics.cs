namespace Iot.Api.Devices;

/// <summary>The MQTT topics of a Device.</summary>
public sealed class DeviceTopics
{
    /// <summary>Where the device publishes telemetry.</summary>
    public string? Telemetry { get; set; }

    /// <summary>Where the device publishes its reported state (retained).</summary>
    public string? State { get; set; }

    /// <summary>Where the device receives commands.</summary>
    public string? Command { get; set; }

    /// <summary>The topics of the device with id <paramref name="deviceId"/>.</summary>
    public static DeviceTopics For(string deviceId) => new()
    {
        Telemetry = $"devices/{deviceId}/telemetry",
        State = $"devices/{deviceId}/state",
        Command = $"devices/{deviceId}/command",
    };
}
