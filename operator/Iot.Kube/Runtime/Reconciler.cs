namespace Iot.Kube;

/// <summary>What a reconcile asks of the controller afterwards.</summary>
public readonly record struct ReconcileResult(TimeSpan? RequeueAfter)
{
    /// <summary>Nothing more to do until the object (or something it watches) changes.</summary>
    public static ReconcileResult Done => default;

    /// <summary>Reconcile again after <paramref name="delay"/> (e.g. to poll an external system).</summary>
    public static ReconcileResult Requeue(TimeSpan delay) => new(delay);
}

/// <summary>Brings the world in line with one object of kind <typeparamref name="T"/>.</summary>
public interface IReconciler<in T>
    where T : class
{
    /// <summary>
    /// Reconciles the object with this key ("namespace/name"). <paramref name="cached"/> is a private copy from the
    /// informer's cache, or null when the object no longer exists. Throwing retries the key with exponential backoff.
    /// </summary>
    Task<ReconcileResult> ReconcileAsync(string key, T? cached, CancellationToken cancellationToken);
}
