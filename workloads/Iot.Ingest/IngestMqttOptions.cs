using Iot.Api.Common;

namespace Iot.Ingest;

/// <summary>Where the broker is and how ingest connects to it.</summary>
public sealed class IngestMqttOptions
{
    /// <summary>The broker's host name.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The broker's MQTT port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>The internal workload user name.</summary>
    public string? Username { get; set; } = WorkloadSecrets.InternalUsername;

    /// <summary>Its password (the <c>password</c> key of the <c>iot-internal-credentials</c> Secret).</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The MQTT client id, fixed per replica so that its persistent session (and the telemetry the broker keeps for it)
    /// survives a restart; by default <c>iot-ingest-&lt;host name&gt;</c>, which a StatefulSet keeps stable.
    /// </summary>
    public string ClientId { get; set; } = "iot-ingest-" + Environment.MachineName.ToLowerInvariant();

    /// <summary>The shared-subscription group: the telemetry subscription is <c>$share/&lt;group&gt;/devices/+/telemetry</c>.</summary>
    public string ShareGroup { get; set; } = "ingest";

    /// <summary>How long the broker keeps the session (and queues telemetry for it) while this replica is away.</summary>
    public TimeSpan SessionExpiry { get; set; } = TimeSpan.FromHours(1);

    /// <summary>The MQTT keep-alive period.</summary>
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The first wait before reconnecting after the connection failed; it doubles up to 30 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(500);
}
