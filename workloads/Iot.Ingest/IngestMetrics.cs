using System.Diagnostics.Metrics;

using Iot.Ingest.Mqtt;
using Iot.Ingest.Telemetry;

namespace Iot.Ingest;

/// <summary>
/// The instruments of ingest on the Meter <c>Iot.Ingest</c>: <c>iot_ingest_messages_total{result}</c> (accepted or a
/// rejection reason), <c>iot_ingest_store_write_seconds</c>, <c>iot_ingest_batch_points</c>,
/// <c>iot_ingest_buffered_points</c>, <c>iot_ingest_alert_publish_seconds</c> and
/// <c>iot_ingest_actions_dropped_total{kind}</c>.
/// </summary>
internal sealed class IngestMetrics
{
    public const string MeterName = "Iot.Ingest";

    private static readonly KeyValuePair<string, object?> AcceptedTag = new("result", RejectionReasons.Accepted);

    private readonly Counter<long> messages;

    public IngestMetrics(IMeterFactory meterFactory, TelemetryIntake intake)
    {
        var meter = meterFactory.Create(MeterName);
        messages = meter.CreateCounter<long>("iot_ingest_messages_total", description: "Telemetry messages by result: accepted, or the reason they were rejected.");
        StoreWriteSeconds = meter.CreateHistogram<double>("iot_ingest_store_write_seconds", "s", "Time to hand one batch of points to the time-series store (waiting while its buffer is full).");
        BatchPoints = meter.CreateHistogram<int>("iot_ingest_batch_points", description: "Points per batch handed to the store: per intake batch of MQTT messages, per HTTP request.");
        meter.CreateObservableGauge("iot_ingest_buffered_points", () => intake.Count, description: "Telemetry messages received from the broker and not yet written to the store (nor acknowledged).");
        AlertPublishSeconds = meter.CreateHistogram<double>("iot_ingest_alert_publish_seconds", "s", "From the rule engine raising an alert event to the broker acknowledging it (QoS 1).");
        ActionsDropped = meter.CreateCounter<long>("iot_ingest_actions_dropped_total", description: "Rule actions (kind alert, command, publish) dropped because the action queue was full.");
    }

    public Histogram<double> StoreWriteSeconds { get; }

    public Histogram<int> BatchPoints { get; }

    public Histogram<double> AlertPublishSeconds { get; }

    public Counter<long> ActionsDropped { get; }

    public void Accepted(int count) => messages.Add(count, AcceptedTag);

    public void Rejected(string reason) => messages.Add(1, new KeyValuePair<string, object?>("result", reason));
}
