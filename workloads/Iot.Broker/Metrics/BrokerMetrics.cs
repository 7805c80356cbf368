using System.Diagnostics.Metrics;

namespace Iot.Broker.Metrics;

/// <summary>The broker's instruments (meter <c>Iot.Broker</c>), named in their Prometheus form (DESIGN.md §7).</summary>
public sealed class BrokerMetrics
{
    /// <summary>The meter name.</summary>
    public const string MeterName = "Iot.Broker";

    private readonly Counter<long> received;
    private readonly Counter<long> sent;
    private readonly Counter<long> authFailures;
    private readonly Counter<long> publishDenied;
    private readonly Counter<long> subscribeDenied;
    private readonly Counter<long> dropped;
    private readonly Counter<long> throttled;
    private readonly Counter<long> backpressureWaits;
    private readonly Counter<long> queueOverflows;
    private readonly Counter<long> statusWrites;

    /// <summary>Instruments on <paramref name="meter"/>; <paramref name="connections"/> observes the connected clients by kind.</summary>
    public BrokerMetrics(Meter meter, Func<(int Devices, int Workloads)> connections)
    {
        ArgumentNullException.ThrowIfNull(meter);
        ArgumentNullException.ThrowIfNull(connections);
        meter.CreateObservableGauge("iot_broker_connections", () =>
        {
            var (devices, workloads) = connections();
            return new[] { new Measurement<int>(devices, new KeyValuePair<string, object?>("kind", "device")), new Measurement<int>(workloads, new KeyValuePair<string, object?>("kind", "workload")) };
        }, description: "Connected clients, by kind (device or workload).");
        received = meter.CreateCounter<long>("iot_broker_messages_received_total", description: "PUBLISH packets received from clients (accepted or not).");
        sent = meter.CreateCounter<long>("iot_broker_messages_sent_total", description: "Messages queued for delivery to subscribers.");
        authFailures = meter.CreateCounter<long>("iot_broker_auth_failures_total", description: "Refused connections, by reason.");
        publishDenied = meter.CreateCounter<long>("iot_broker_publish_denied_total", description: "Publishes to topics the client may not use.");
        subscribeDenied = meter.CreateCounter<long>("iot_broker_subscribe_denied_total", description: "Subscriptions to filters the client may not use.");
        dropped = meter.CreateCounter<long>("iot_broker_messages_dropped_total", description: "Messages not delivered, by reason (oversize; queue_full: QoS 0 to a full subscriber queue).");
        throttled = meter.CreateCounter<long>("iot_broker_publish_throttled_total", description: "Publishes delayed by the per-client rate limit.");
        backpressureWaits = meter.CreateCounter<long>("iot_broker_backpressure_waits_total", description: "QoS 1 publishes that waited for a full subscriber queue.");
        queueOverflows = meter.CreateCounter<long>("iot_broker_queue_overflows_total", description: "QoS 1 messages queued over the bound after the longest backpressure wait (never dropped).");
        statusWrites = meter.CreateCounter<long>("iot_broker_status_writes_total", description: "Device.status.connection writes, by result.");
    }

    public void Received() => received.Add(1);

    public void Sent() => sent.Add(1);

    public void AuthFailure(string reason) => authFailures.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void PublishDenied() => publishDenied.Add(1);

    public void SubscribeDenied() => subscribeDenied.Add(1);

    public void Dropped(string reason) => dropped.Add(1, new KeyValuePair<string, object?>("reason", reason));

    public void Throttled() => throttled.Add(1);

    public void BackpressureWait() => backpressureWaits.Add(1);

    public void QueueOverflow() => queueOverflows.Add(1);

    public void StatusWrite(string result) => statusWrites.Add(1, new KeyValuePair<string, object?>("result", result));
}
