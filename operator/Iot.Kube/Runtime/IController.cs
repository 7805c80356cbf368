namespace Iot.Kube;

/// <summary>A controller as its host sees it: caches that run on every replica, workers that run on the leader.</summary>
public interface IController
{
    /// <summary>The controller's name in metrics and logs.</summary>
    string Name { get; }

    /// <summary>Reconciles run so far by this replica.</summary>
    long Reconciles { get; }

    /// <summary>Keys waiting in the work queue (ready now, not counting delayed requeues).</summary>
    int QueueLength { get; }

    /// <summary>True once every informer of the controller has listed its kind (readiness).</summary>
    bool HasSynced { get; }

    /// <summary>False when a watch has been down longer than tolerated (liveness; a watch is briefly down while it resumes).</summary>
    bool WatchesAlive { get; }

    /// <summary>Runs the informers (the caches) until cancelled.</summary>
    Task RunInformersAsync(CancellationToken cancellationToken);

    /// <summary>Runs the workers until cancelled; may run again later (leadership regained).</summary>
    Task RunWorkersAsync(CancellationToken cancellationToken);
}
