namespace Iot.Operator.Devices;

/// <summary>Settings of the Device controller.</summary>
public sealed record DeviceControllerOptions
{
    /// <summary>The broker host written into credentials Secrets.</summary>
    public string BrokerHost { get; init; } = "iot-broker";

    /// <summary>The broker's plain MQTT port (password authentication).</summary>
    public int BrokerPort { get; init; } = 1883;

    /// <summary>The broker's MQTT over TLS port (certificate authentication).</summary>
    public int TlsPort { get; init; } = 8883;
}
