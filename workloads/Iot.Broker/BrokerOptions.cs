using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Broker;

/// <summary>Settings of the broker, bound from configuration section <c>Broker</c>.</summary>
public sealed class BrokerOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Broker";

    /// <summary>The address the listeners bind to (0.0.0.0 in a pod; 127.0.0.1 on a laptop and in tests).</summary>
    [Required]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>The plain TCP port (MQTT 3.1.1 and 5); 0 disables it.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>The TLS port; used only when <see cref="TlsCertificatePath"/> is set.</summary>
    [Range(0, 65535)]
    public int TlsPort { get; set; } = 8883;

    /// <summary>The server certificate, PEM (tls.crt of a mounted Secret).</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>The server certificate's key, PEM (tls.key).</summary>
    public string? TlsKeyPath { get; set; }

    /// <summary>
    /// The CA that signs device client certificates, PEM. When unset, the registry's CA is used (in Kubernetes mode the
    /// namespace's <c>iot-device-ca</c> Secret).
    /// </summary>
    public string? ClientCaPath { get; set; }

    /// <summary>The largest PUBLISH payload accepted, in bytes; larger ones are rejected and counted.</summary>
    [Range(1, 268_435_455)]
    public int MaxMessageSize { get; set; } = 256 * 1024;

    /// <summary>Messages per second one device may publish; excess publishes are delayed (throttled) and counted. 0: unlimited.</summary>
    [Range(0, double.MaxValue)]
    public double PublishRateLimit { get; set; } = 100;

    /// <summary>How many publishes a device may send at once above its rate.</summary>
    [Range(1, int.MaxValue)]
    public int PublishBurst { get; set; } = 200;

    /// <summary>How a shared subscription group (<c>$share/&lt;group&gt;/&lt;filter&gt;</c>) spreads messages over its members.</summary>
    public SharedSubscriptionDispatch SharedSubscriptionDispatch { get; set; } = SharedSubscriptionDispatch.TopicHash;

    /// <summary>
    /// Messages queued for one subscriber above which publishers are pushed back: QoS 1 publishes wait (their PUBACK
    /// and the reading of their connection are delayed) and QoS 0 messages to that subscriber are dropped and counted.
    /// </summary>
    [Range(10, int.MaxValue)]
    public int MaxQueuedMessagesPerClient { get; set; } = 10_000;

    /// <summary>
    /// The longest a QoS 1 publish waits for a full subscriber queue before it is queued anyway (over the bound, counted):
    /// a safety valve against clients that stop reading while they wait for their own PUBACK. Never a drop.
    /// </summary>
    public TimeSpan MaxBackpressureWait { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Keep sessions (subscriptions and queued QoS 1 messages) of clients connecting with clean session off.</summary>
    public bool PersistentSessions { get; set; } = true;

    /// <summary>The username workloads connect with.</summary>
    [Required]
    public string InternalUsername { get; set; } = WorkloadSecrets.InternalUsername;

    /// <summary>The internal password (from Secret <c>iot-internal-credentials</c>); or set <see cref="InternalPasswordHash"/>.</summary>
    public string? InternalPassword { get; set; }

    /// <summary>The internal password's hash (<c>password.hash</c> of Secret <c>iot-internal-credentials</c>).</summary>
    public string? InternalPasswordHash { get; set; }

    /// <summary>Where Devices and their credentials come from.</summary>
    public DeviceRegistryMode Registry { get; set; } = DeviceRegistryMode.Kubernetes;

    /// <summary>The namespace whose Devices may connect (Kubernetes registry).</summary>
    public string? Namespace { get; set; }

    /// <summary>A kubeconfig file; unset: the in-cluster service account.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>At most this many Device.status.connection writes per second (coalesced per device).</summary>
    [Range(0.1, 10_000)]
    public double StatusWritesPerSecond { get; set; } = 20;

    /// <summary>While a device stays connected, its lastSeen is written at most this often.</summary>
    public TimeSpan LastSeenInterval { get; set; } = TimeSpan.FromMinutes(1);
}

/// <summary>How a shared subscription group chooses the member that receives a message.</summary>
public enum SharedSubscriptionDispatch
{
    /// <summary>By a hash of the topic: every message of one topic (one device) reaches the same member while membership is stable.</summary>
    TopicHash,

    /// <summary>Members in turn, message by message.</summary>
    RoundRobin,
}

/// <summary>Where the broker reads Devices and their credentials from.</summary>
public enum DeviceRegistryMode
{
    /// <summary>Devices and credentials Secrets of <see cref="BrokerOptions.Namespace"/>, watched through the Kubernetes API.</summary>
    Kubernetes,

    /// <summary>An in-process registry the host fills (dev mode, tests).</summary>
    Memory,
}
