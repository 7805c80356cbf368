using Iot.Api.Common;

namespace Iot.Api.Devices;

/// <summary>The observed state of a Device.</summary>
public sealed class DeviceStatus : ResourceStatus
{
    /// <summary>Lifecycle phase: Pending, Ready, Disabled or Failed.</summary>
    public DevicePhase? Phase { get; set; }

    /// <summary>The Secret holding the device's broker credentials (username, password or tls.crt/tls.key, host, port, clientId).</summary>
    public string? CredentialsSecret { get; set; }

    /// <summary>The MQTT topics of the device.</summary>
    public DeviceTopics? Topics { get; set; }

    /// <summary>The device's broker connection, reported by the broker.</summary>
    public DeviceConnection? Connection { get; set; }
}
