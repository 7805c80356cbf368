using System.Diagnostics.Metrics;

namespace Iot.Kube;

/// <summary>The instruments of the controller runtime, on the meter "Iot.Kube", named as Prometheus exports them.</summary>
internal static class RuntimeMetrics
{
    public static readonly Meter Meter = new("Iot.Kube");

    public static readonly UpDownCounter<long> QueueDepth = Meter.CreateUpDownCounter<long>("iot_kube_workqueue_depth", description: "Keys waiting in a work queue.");
    public static readonly Counter<long> QueueAdds = Meter.CreateCounter<long>("iot_kube_workqueue_adds_total", description: "Keys added to a work queue.");
    public static readonly Counter<long> QueueRetries = Meter.CreateCounter<long>("iot_kube_workqueue_retries_total", description: "Rate-limited re-adds to a work queue.");
    public static readonly Histogram<double> QueueLatency = Meter.CreateHistogram<double>("iot_kube_workqueue_queue_duration_seconds", "s", "How long a key waited in a work queue before a worker took it.");
    public static readonly Histogram<double> WorkDuration = Meter.CreateHistogram<double>("iot_kube_workqueue_work_duration_seconds", "s", "How long a worker held a key.");

    public static readonly Counter<long> WatchRestarts = Meter.CreateCounter<long>("iot_kube_watch_restarts_total", description: "Watches re-opened from the last seen resourceVersion.");
    public static readonly Counter<long> Relists = Meter.CreateCounter<long>("iot_kube_relists_total", description: "Full LISTs after the first.");
    public static readonly Counter<long> WatchEvents = Meter.CreateCounter<long>("iot_kube_watch_events_total", description: "Watch events received.");

    public static readonly Counter<long> Reconciles = Meter.CreateCounter<long>("iot_kube_reconciles_total", description: "Reconciles run.");
    public static readonly Counter<long> ReconcileErrors = Meter.CreateCounter<long>("iot_kube_reconcile_errors_total", description: "Reconciles that threw.");
    public static readonly Histogram<double> ReconcileDuration = Meter.CreateHistogram<double>("iot_kube_reconcile_duration_seconds", "s", "How long reconciles took.");
}
