using System.Diagnostics.Metrics;

namespace Iot.Kube;

/// <summary>The instruments of the controller runtime, on the meter "Iot.Kube".</summary>
internal static class RuntimeMetrics
{
    public static readonly Meter Meter = new("Iot.Kube");

    public static readonly UpDownCounter<long> QueueDepth = Meter.CreateUpDownCounter<long>("iot.kube.workqueue.depth", description: "Keys waiting in a work queue.");
    public static readonly Counter<long> QueueAdds = Meter.CreateCounter<long>("iot.kube.workqueue.adds", description: "Keys added to a work queue.");
    public static readonly Counter<long> QueueRetries = Meter.CreateCounter<long>("iot.kube.workqueue.retries", description: "Rate-limited re-adds to a work queue.");
    public static readonly Histogram<double> QueueLatency = Meter.CreateHistogram<double>("iot.kube.workqueue.queue_duration", "s", "How long a key waited in a work queue before a worker took it.");
    public static readonly Histogram<double> WorkDuration = Meter.CreateHistogram<double>("iot.kube.workqueue.work_duration", "s", "How long a worker held a key.");

    public static readonly Counter<long> WatchRestarts = Meter.CreateCounter<long>("iot.kube.reflector.watch_restarts", description: "Watches re-opened from the last seen resourceVersion.");
    public static readonly Counter<long> Relists = Meter.CreateCounter<long>("iot.kube.reflector.relists", description: "Full LISTs after the first.");
    public static readonly Counter<long> WatchEvents = Meter.CreateCounter<long>("iot.kube.reflector.watch_events", description: "Watch events received.");

    public static readonly Counter<long> Reconciles = Meter.CreateCounter<long>("iot.kube.controller.reconciles", description: "Reconciles run.");
    public static readonly Counter<long> ReconcileErrors = Meter.CreateCounter<long>("iot.kube.controller.reconcile_errors", description: "Reconciles that threw.");
    public static readonly Histogram<double> ReconcileDuration = Meter.CreateHistogram<double>("iot.kube.controller.reconcile_duration", "s", "How long reconciles took.");
}
