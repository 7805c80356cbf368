namespace Iot.Api.Devices;

/// <summary>A Device's broker connection, as the broker sees it.</summary>
public sealed class DeviceConnection
{
    /// <summary>Whether the device is connected (or has sent a message within its heartbeat timeout).</summary>
    public bool? Online { get; set; }

    /// <summary>When the device was last heard from.</summary>
    public DateTime? LastSeen { get; set; }

    /// <summary>When the device's current online or offline period began.</summary>
    public DateTime? Since { get; set; }
}
