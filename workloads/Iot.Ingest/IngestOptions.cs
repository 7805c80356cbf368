namespace Iot.Ingest;

/// <summary>
/// Settings of the ingest workload, bound from the configuration section <c>Ingest</c> (environment:
/// <c>IOT_Ingest__Namespace</c>, <c>IOT_Ingest__Mqtt__Host</c>, …) and validated at start. The time-series store is
/// configured apart, in section <c>TimeSeries</c> (see <c>AddIotTimeSeriesStore</c>).
/// </summary>
public sealed class IngestOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Ingest";

    /// <summary>The Kubernetes namespace served: its Devices, EdgeRules and credentials Secrets; its InfluxDB database.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>A kubeconfig file for the Kubernetes API outside a cluster; in a cluster the service account is used.</summary>
    public string? Kubeconfig { get; set; }

    /// <summary>The broker connection.</summary>
    public IngestMqttOptions Mqtt { get; set; } = new();

    /// <summary>
    /// The most telemetry messages received from the broker and not yet written to the store (and so not yet
    /// acknowledged); it is also the MQTT 5 receive maximum, so the broker never has more than this in flight to ingest.
    /// </summary>
    public int IntakeCapacity { get; set; } = 4_096;

    /// <summary>At most this many queued messages are validated and written before their acknowledgements are sent.</summary>
    public int BatchSize { get; set; } = 512;

    /// <summary>Validated messages waiting for the rule engine; when full, intake waits (back-pressure to the broker).</summary>
    public int RuleQueueCapacity { get; set; } = 16_384;

    /// <summary>
    /// Alerts, commands and publications waiting to be published; past this, new ones are dropped and counted
    /// (<c>iot_ingest_actions_dropped_total</c>), so that a broker outage cannot stall the rule engine.
    /// </summary>
    public int ActionQueueCapacity { get; set; } = 16_384;

    /// <summary>The largest telemetry message accepted over MQTT; larger ones are rejected as <c>too_large</c>.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>The largest <c>POST /sensors/data</c> body (a message or an array of messages); larger ones get 413.</summary>
    public int MaxRequestBytes { get; set; } = 1024 * 1024;

    /// <summary>How often the rule engine runs its timers (hold times, cooldowns, absence, windows of silent devices).</summary>
    public TimeSpan RuleTickInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// The shortest time between two publications of one device's retained rejections (<c>_iot/rejections/&lt;device&gt;</c>):
    /// a device that sends bad messages in a burst gets one publication with the latest of them.
    /// </summary>
    public TimeSpan RejectionPublishInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often <c>EdgeRule.status.lastFired</c> is written for rules that fired since (at most once per rule per interval).</summary>
    public TimeSpan StatusInterval { get; set; } = TimeSpan.FromSeconds(10);
}
