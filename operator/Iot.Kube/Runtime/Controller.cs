using System.Diagnostics;
using System.Reflection;

using k8s;
using k8s.Models;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Kube;

/// <summary>Settings of a <see cref="Controller{T}"/>.</summary>
public sealed record ControllerOptions
{
    /// <summary>The controller's name in metrics and logs.</summary>
    public string Name { get; init; } = "controller";

    /// <summary>How many keys are reconciled in parallel (never the same key twice at once).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>The primary informer's list/watch settings (namespace, label selector, backoff).</summary>
    public ReflectorOptions Informer { get; init; } = new();

    /// <summary>The work queue's settings (clock, backoff, rate limit).</summary>
    public WorkQueueOptions Queue { get; init; } = new();

    /// <summary>Where the controller gets its informers; controllers of one host share one so each kind is cached once. Null: a private factory.</summary>
    public InformerFactory? Informers { get; init; }

    /// <summary>How long a watch may stay down (resuming, relisting after errors) before the controller counts as not alive.</summary>
    public TimeSpan WatchDownTolerance { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Receives reconcile errors and informer problems.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>
/// A controller after controller-runtime's: an informer of the primary kind (plus secondary informers from
/// <see cref="Owns{TChild}"/> and <see cref="Watches{TOther}"/>) feeding a <see cref="WorkQueue"/>, and workers calling an
/// <see cref="IReconciler{T}"/> with each key. Errors are retried with per-key backoff forever; success forgets the backoff.
/// The caches and the workers run separately so that every replica keeps warm caches (<see cref="RunInformersAsync"/>)
/// while only the leader runs workers (<see cref="RunWorkersAsync"/>).
/// </summary>
public sealed class Controller<T> : IController
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly InformerFactory informers;
    private readonly IReconciler<T> reconciler;
    private readonly ControllerOptions options;
    private readonly List<EventPredicate<T>> predicates = [];
    private readonly List<(Func<CancellationToken, Task> Run, Func<CancellationToken, Task> WaitForSync, Func<bool> Synced, Func<TimeSpan> DownFor)> secondaries = [];
    private readonly Dictionary<Type, object> secondaryInformers = [];
    private readonly TagList tags;
    private long reconciles;
    private long errors;
    private int started;

    /// <summary>A controller of <paramref name="resource"/> calling <paramref name="reconciler"/>.</summary>
    public Controller(IKubernetes client, KubeResource resource, IReconciler<T> reconciler, ControllerOptions? options = null)
    {
        this.reconciler = reconciler;
        this.options = options ?? new ControllerOptions();
        informers = this.options.Informers ?? new InformerFactory(client);
        Informer = informers.Get<T>(resource, WithLogger(this.options.Informer));
        Queue = new WorkQueue(this.options.Queue with { Name = this.options.Name });
        tags = new TagList { { "controller", this.options.Name } };
        Informer.AddEventHandler(new ResourceEventHandler<T>
        {
            OnAdd = o => Queue.Add(ResourceClient<T>.KeyOf(o)),
            OnUpdate = (_, o) => Queue.Add(ResourceClient<T>.KeyOf(o)),
            OnDelete = o => Queue.Add(ResourceClient<T>.KeyOf(o)),
            Predicates = predicates,
        });
    }

    /// <inheritdoc />
    public string Name => options.Name;

    /// <summary>The primary informer; reconcilers may read other cached objects from it.</summary>
    public Informer<T> Informer { get; }

    /// <summary>The controller's work queue (<see cref="WorkQueue.Length"/> is its depth).</summary>
    public WorkQueue Queue { get; }

    /// <inheritdoc />
    public long Reconciles => Interlocked.Read(ref reconciles);

    /// <inheritdoc />
    public int QueueLength => Queue.Length;

    /// <summary>Reconciles that threw.</summary>
    public long Errors => Interlocked.Read(ref errors);

    /// <summary>Only primary events that pass <paramref name="predicate"/> enqueue (e.g. <see cref="EventPredicates.GenerationChanged{T}"/>).</summary>
    public Controller<T> WithEventFilter(EventPredicate<T> predicate)
    {
        EnsureNotStarted();
        predicates.Add(predicate);
        return this;
    }

    /// <summary>
    /// Watches children of kind <typeparamref name="TChild"/>: a change enqueues the owner named by the child's controller
    /// ownerReference when it is of this controller's kind (same namespace, same group and kind).
    /// </summary>
    public Controller<T> Owns<TChild>(KubeResource resource, ReflectorOptions? informerOptions = null)
        where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new InvalidOperationException($"{typeof(T).Name} has no [KubernetesEntity] attribute to match ownerReferences with");
        return Watches<TChild>(resource, child => OwnerKeys(child, entity), informerOptions);
    }

    /// <summary>
    /// Watches related objects of kind <typeparamref name="TOther"/>; a change enqueues the primary keys
    /// <paramref name="mapToPrimaryKeys"/> returns. <paramref name="predicate"/> drops changes that cannot matter (e.g.
    /// status-only updates); the cache is reachable through <see cref="InformerOf{TOther}"/>.
    /// </summary>
    public Controller<T> Watches<TOther>(KubeResource resource, Func<TOther, IEnumerable<string>> mapToPrimaryKeys, ReflectorOptions? informerOptions = null, EventPredicate<TOther>? predicate = null)
        where TOther : class, IKubernetesObject<V1ObjectMeta>
    {
        EnsureNotStarted();
        var informer = informers.Get<TOther>(resource, WithLogger(informerOptions ?? options.Informer));
        void Map(TOther obj)
        {
            foreach (var key in mapToPrimaryKeys(obj))
            {
                Queue.Add(key);
            }
        }

        informer.AddEventHandler(new ResourceEventHandler<TOther>
        {
            OnAdd = Map,
            OnUpdate = (old, @new) =>
            {
                Map(old);
                Map(@new);
            },
            OnDelete = Map,
            Predicates = predicate is null ? [] : [predicate],
        });
        secondaries.Add((informer.RunAsync, informer.WaitForSyncAsync, () => informer.HasSynced, () => informer.Reflector.WatchDownFor));
        secondaryInformers[typeof(TOther)] = informer;
        return this;
    }

    /// <summary>The cache of a kind this controller <see cref="Watches{TOther}"/>, so reconcilers read it instead of the API.</summary>
    public Informer<TOther> InformerOf<TOther>()
        where TOther : class, IKubernetesObject<V1ObjectMeta> =>
        secondaryInformers.TryGetValue(typeof(TOther), out var informer) ? (Informer<TOther>)informer
            : throw new InvalidOperationException($"this controller does not watch {typeof(TOther).Name}");

    /// <inheritdoc />
    public bool HasSynced => Informer.HasSynced && secondaries.All(s => s.Synced());

    /// <inheritdoc />
    public bool WatchesAlive => Informer.Reflector.WatchDownFor < options.WatchDownTolerance && secondaries.All(s => s.DownFor() < options.WatchDownTolerance);

    /// <summary>Runs the informers and the workers until <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task RunAsync(CancellationToken cancellationToken) =>
        Task.WhenAll(RunInformersAsync(cancellationToken), RunWorkersAsync(cancellationToken));

    /// <inheritdoc cref="IController.RunInformersAsync" />
    /// <remarks>
    /// Fills and keeps the caches until <paramref name="cancellationToken"/> is cancelled; events enqueue keys whether or not
    /// workers run. Returns when the informers have stopped, and shuts the queue down.
    /// </remarks>
    public async Task RunInformersAsync(CancellationToken cancellationToken)
    {
        if (Interlocked.Exchange(ref started, 1) != 0)
        {
            throw new InvalidOperationException("The controller's informers are already running");
        }

        try
        {
            await Task.WhenAll(secondaries.Select(s => s.Run(cancellationToken)).Prepend(Informer.RunAsync(cancellationToken))).ConfigureAwait(false);
        }
        finally
        {
            Queue.ShutDown();
        }
    }

    /// <inheritdoc cref="IController.RunWorkersAsync" />
    /// <remarks>
    /// Waits until the caches have synced, enqueues every cached object (whatever happened while no worker ran is
    /// reconciled), then runs the workers until <paramref name="cancellationToken"/> is cancelled — in-flight reconciles get
    /// the cancelled token, so work stops at once (leadership lost). May be called again after it returned.
    /// </remarks>
    public async Task RunWorkersAsync(CancellationToken cancellationToken)
    {
        try
        {
            await Informer.WaitForSyncAsync(cancellationToken).ConfigureAwait(false);
            foreach (var secondary in secondaries)
            {
                await secondary.WaitForSync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        foreach (var key in Informer.Keys())
        {
            Queue.Add(key);
        }

        var workers = Enumerable.Range(0, Math.Max(1, options.Workers)).Select(_ => Task.Run(() => WorkAsync(cancellationToken), CancellationToken.None));
        await Task.WhenAll(workers).ConfigureAwait(false);
    }

    private async Task WorkAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            string? key;
            try
            {
                key = await Queue.GetAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            if (key is null)
            {
                return;
            }

            var start = Stopwatch.GetTimestamp();
            try
            {
                Interlocked.Increment(ref reconciles);
                RuntimeMetrics.Reconciles.Add(1, tags);
                var result = await reconciler.ReconcileAsync(key, Informer.Get(key), cancellationToken).ConfigureAwait(false);
                Queue.Forget(key);
                if (result.RequeueAfter is { } delay)
                {
                    Queue.AddAfter(key, delay);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                Interlocked.Increment(ref errors);
                RuntimeMetrics.ReconcileErrors.Add(1, tags);
                options.Logger.LogWarning(e, "{Controller}: reconcile of {Key} failed (attempt {Attempt}); retrying with backoff", options.Name, key, Queue.NumRequeues(key) + 1);
                Queue.AddRateLimited(key);
            }
            finally
            {
                RuntimeMetrics.ReconcileDuration.Record(Stopwatch.GetElapsedTime(start).TotalSeconds, tags);
                Queue.Done(key);
            }
        }
    }

    private static IEnumerable<string> OwnerKeys<TChild>(TChild child, KubernetesEntityAttribute owner)
        where TChild : class, IKubernetesObject<V1ObjectMeta>
    {
        foreach (var reference in child.Metadata?.OwnerReferences ?? [])
        {
            var slash = reference.ApiVersion?.IndexOf('/', StringComparison.Ordinal) ?? -1;
            var group = slash < 0 ? "" : reference.ApiVersion![..slash];
            if (reference.Controller == true && reference.Kind == owner.Kind && group == owner.Group)
            {
                yield return ResourceClient<TChild>.KeyOf(child.Metadata!.NamespaceProperty, reference.Name);
            }
        }
    }

    private ReflectorOptions WithLogger(ReflectorOptions informer) =>
        informer.Logger == NullLogger.Instance ? informer with { Logger = options.Logger } : informer;

    private void EnsureNotStarted()
    {
        if (Volatile.Read(ref started) != 0)
        {
            throw new InvalidOperationException("Configure the controller before running it");
        }
    }
}
