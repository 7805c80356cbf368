using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Iot.Notify;

/// <summary>
/// The Meter "Iot.Notify": deliveries by receiver type and result (delivered, retrying, failed), delivery latency,
/// outbox depth, active alerts, and alert events received by result (accepted, malformed, foreign).
/// </summary>
public sealed class NotifyMetrics
{
    public const string MeterName = "Iot.Notify";

    private readonly Counter<long> deliveries;
    private readonly Histogram<double> deliverySeconds;
    private readonly Counter<long> alertEvents;
    private int outboxDepth;
    private Func<int> activeAlerts = () => 0;

    public NotifyMetrics(IMeterFactory meterFactory)
    {
        Meter = meterFactory.Create(MeterName);
        deliveries = Meter.CreateCounter<long>("iot_notify_deliveries_total", description: "Delivery attempts by receiver type and result (delivered, retrying, failed).");
        deliverySeconds = Meter.CreateHistogram<double>("iot_notify_delivery_seconds", "s", "How long one delivery attempt took.");
        alertEvents = Meter.CreateCounter<long>("iot_notify_alert_events_total", description: "Alert events received, by result (accepted, malformed, foreign).");
        Meter.CreateObservableGauge("iot_notify_outbox_depth", () => Volatile.Read(ref outboxDepth), description: "Notifications waiting in the outbox for an attempt.");
        Meter.CreateObservableGauge("iot_notify_active_alerts", () => activeAlerts(), description: "Alerts firing now.");
    }

    /// <summary>The meter (tests listen to its instruments only).</summary>
    public Meter Meter { get; }

    public void Delivery(string receiverType, string result, TimeSpan duration)
    {
        var tags = new TagList { { "receiver_type", receiverType }, { "result", result } };
        deliveries.Add(1, tags);
        deliverySeconds.Record(duration.TotalSeconds, new TagList { { "receiver_type", receiverType } });
    }

    public void AlertEvent(string result) => alertEvents.Add(1, new TagList { { "result", result } });

    public void SetOutboxDepth(int depth) => Volatile.Write(ref outboxDepth, depth);

    public void ObserveActiveAlerts(Func<int> count) => activeAlerts = count;
}
