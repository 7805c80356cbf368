namespace Iot.Operator.Workloads;

/// <summary>
/// How the operator deploys the workloads of a namespace (the Helm chart sets these; environment
/// <c>IOT_Operator__Workloads__Image</c> etc.).
/// </summary>
public sealed record WorkloadOptions
{
    /// <summary>The workloads image (one image, <c>--component</c> selects the workload).</summary>
    public string Image { get; init; } = "ghcr.io/iotoperator/iot-workloads:0.1.0";

    /// <summary>The image pull policy.</summary>
    public string ImagePullPolicy { get; init; } = "IfNotPresent";

    /// <summary>Replicas per component (broker, ingest, analytics, notify); 1 when not listed.</summary>
    public Dictionary<string, int> Replicas { get; init; } = [];

    /// <summary>CPU request of each workload container.</summary>
    public string CpuRequest { get; init; } = "100m";

    /// <summary>Memory request of each workload container.</summary>
    public string MemoryRequest { get; init; } = "128Mi";

    /// <summary>Memory limit of each workload container.</summary>
    public string MemoryLimit { get; init; } = "512Mi";

    /// <summary>InfluxDB 1.x HTTP API URL for ingest and analytics (null: the embedded SQLite store).</summary>
    public string? InfluxDbUrl { get; init; }

    /// <summary>A Secret in each workload namespace with keys <c>username</c> and <c>password</c> for InfluxDB (optional).</summary>
    public string? InfluxDbCredentialsSecret { get; init; }

    /// <summary>A Secret in each workload namespace whose key <c>dsn</c> is the PostgreSQL connection string for notify and analytics (null: SQLite).</summary>
    public string? PostgresDsnSecret { get; init; }

    /// <summary>A <c>kubernetes.io/tls</c> Secret in each workload namespace (<c>tls.crt</c>, <c>tls.key</c>) the broker serves MQTT over TLS with (null: plain MQTT only).</summary>
    public string? BrokerTlsSecret { get; init; }
}
