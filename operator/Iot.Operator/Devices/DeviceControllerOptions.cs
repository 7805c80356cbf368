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

    /// <summary>Only watch this namespace (null: all namespaces).</summary>
    public string? Namespace { get; init; }

    /// <summary>How many Devices are reconciled in parallel.</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Receives reconcile errors and informer problems (never secret values).</summary>
    public Action<string, Exception?>? Log { get; init; }
}
