using k8s;
using k8s.Models;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Kube;

/// <summary>Where a <see cref="Reflector{T}"/> puts what it lists and watches.</summary>
public interface IReflectorStore<in T>
{
    /// <summary>Replaces the whole contents with a fresh LIST (the store synthesizes the differences as events).</summary>
    void Replace(IReadOnlyList<T> items);

    /// <summary>An object was added or modified.</summary>
    void Upsert(T obj);

    /// <summary>An object was deleted.</summary>
    void Delete(T obj);
}

/// <summary>Settings of a <see cref="Reflector{T}"/> and an <see cref="Informer{T}"/>.</summary>
public sealed record ReflectorOptions
{
    /// <summary>The namespace to list and watch; null for all namespaces (or a cluster-scoped kind).</summary>
    public string? Namespace { get; init; }

    /// <summary>A server-side label selector, e.g. "app=x".</summary>
    public string? LabelSelector { get; init; }

    /// <summary>The clock for backoff delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Each watch asks the server to end it after a random time between this and <see cref="MaxWatchTimeout"/>.</summary>
    public TimeSpan MinWatchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The upper bound of the randomized watch timeout.</summary>
    public TimeSpan MaxWatchTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The first backoff after an error; it doubles (with jitter) up to <see cref="MaxBackoff"/> and resets after a success.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The largest backoff between failed attempts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Page size of the LIST.</summary>
    public int PageSize { get; init; } = 500;

    /// <summary>Receives errors and notable transitions.</summary>
    public ILogger Logger { get; init; } = NullLogger.Instance;
}

/// <summary>
/// Keeps a store in step with the server, after client-go's reflector: LIST, then WATCH from the list's resourceVersion
/// (with bookmarks and a randomized timeout), resuming from the last resourceVersion seen when a watch ends; on 410 Gone
/// or any error, a new LIST after a jittered exponential backoff, which replaces the store so deletes missed during the gap
/// are not lost.
/// </summary>
public sealed class Reflector<T>(ResourceClient<T> client, IReflectorStore<T> store, ReflectorOptions? options = null)
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ReflectorOptions options = options ?? new ReflectorOptions();
    private readonly TaskCompletionSource synced = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long watchRestarts;
    private long relists;
    private volatile bool watchAlive;
    private long downSinceTicks = -1;
    private volatile string? lastResourceVersion;

    /// <summary>True once the first LIST has been stored.</summary>
    public bool HasSynced => synced.Task.IsCompleted;

    /// <summary>Completes when the first LIST has been stored.</summary>
    public Task Synced => synced.Task;

    /// <summary>True while a watch is open and delivering; false during gaps, backoff and relists.</summary>
    public bool WatchAlive => watchAlive;

    /// <summary>How long the watch has been down (zero while it is open): a long gap means the cache is no longer current.</summary>
    public TimeSpan WatchDownFor
    {
        get
        {
            var since = Interlocked.Read(ref downSinceTicks);
            return watchAlive ? TimeSpan.Zero : since < 0 ? TimeSpan.MaxValue : options.Time.GetUtcNow() - new DateTimeOffset(since, TimeSpan.Zero); // not started: never alive
        }
    }

    /// <summary>The resourceVersion the next watch resumes from.</summary>
    public string? LastResourceVersion => lastResourceVersion;

    /// <summary>Watches re-opened from the last resourceVersion (without a LIST).</summary>
    public long WatchRestarts => Interlocked.Read(ref watchRestarts);

    /// <summary>LISTs after the first (after 410 Gone or errors).</summary>
    public long Relists => Interlocked.Read(ref relists);

    /// <summary>Lists and watches until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        Interlocked.Exchange(ref downSinceTicks, options.Time.GetUtcNow().UtcTicks);
        var backoff = options.InitialBackoff;
        var needList = true;
        var lists = 0;
        var tags = new System.Diagnostics.TagList { { "resource", client.Resource.Plural } };
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                if (needList)
                {
                    var list = await client.ListAllAsync(options.Namespace, options.LabelSelector, options.PageSize, cancellationToken).ConfigureAwait(false);

                    // Counted before the cache changes, so whoever sees the relisted cache sees the count too.
                    if (lists++ > 0)
                    {
                        Interlocked.Increment(ref relists);
                        RuntimeMetrics.Relists.Add(1, tags);
                    }

                    store.Replace(list.Items);
                    lastResourceVersion = list.ResourceVersion;
                    needList = false;

                    synced.TrySetResult();
                }
                else
                {
                    Interlocked.Increment(ref watchRestarts);
                    RuntimeMetrics.WatchRestarts.Add(1, tags);
                }

                var started = options.Time.GetTimestamp();
                var (error, events) = await WatchOnceAsync(tags, cancellationToken).ConfigureAwait(false);
                if (error is null)
                {
                    if (events > 0 || options.Time.GetElapsedTime(started) >= TimeSpan.FromSeconds(1))
                    {
                        backoff = options.InitialBackoff;
                        continue; // the server ended a healthy watch: resume from the last resourceVersion at once
                    }

                    // A watch that ends at once, again and again, must not spin: back off, then watch again.
                }
                else
                {
                    needList = true;
                    options.Logger.LogWarning(error.Exception, "Watch of {Resource} failed ({Code}: {Reason}); relisting", client.Resource.Plural, error.Code, error.Status?.Message ?? error.Exception?.Message);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                needList = true;
                options.Logger.LogWarning(e, "List/watch of {Resource} failed; relisting", client.Resource.Plural);
            }
            finally
            {
                watchAlive = false;
                Interlocked.Exchange(ref downSinceTicks, options.Time.GetUtcNow().UtcTicks);
            }

            var jittered = backoff * (1 + (Random.Shared.NextDouble() * 0.5));
            backoff = backoff * 2 > options.MaxBackoff ? options.MaxBackoff : backoff * 2;
            try
            {
                await Task.Delay(jittered > options.MaxBackoff ? options.MaxBackoff : jittered, options.Time, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private async Task<(ResourceWatchEvent<T>? Error, int Events)> WatchOnceAsync(System.Diagnostics.TagList tags, CancellationToken cancellationToken)
    {
        var min = options.MinWatchTimeout.TotalSeconds;
        var timeout = (int)Math.Max(1, min + (Random.Shared.NextDouble() * Math.Max(0, options.MaxWatchTimeout.TotalSeconds - min)));
        watchAlive = true;
        var events = 0;
        var enumerator = client.WatchAsync(options.Namespace, lastResourceVersion, options.LabelSelector, timeout, allowWatchBookmarks: true, cancellationToken).GetAsyncEnumerator(cancellationToken);
        await using (enumerator.ConfigureAwait(false))
        {
            while (true)
            {
                try
                {
                    if (!await enumerator.MoveNextAsync().ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (Exception e) when ((e is IOException or HttpRequestException) && !cancellationToken.IsCancellationRequested)
                {
                    // The connection dropped (server restart, network cut): like the end of the watch, resume from the last resourceVersion.
                    options.Logger.LogInformation(e, "Watch of {Resource} dropped; resuming from {ResourceVersion}", client.Resource.Plural, lastResourceVersion);
                    break;
                }

                var ev = enumerator.Current;
                RuntimeMetrics.WatchEvents.Add(1, tags);
                events++;
                switch (ev.Type)
                {
                    case ResourceEventType.Added or ResourceEventType.Modified:
                        store.Upsert(ev.Object!);
                        break;
                    case ResourceEventType.Deleted:
                        store.Delete(ev.Object!);
                        break;
                    case ResourceEventType.Bookmark:
                        break;
                    default:
                        return (ev, events);
                }

                if (ev.Object?.Metadata?.ResourceVersion is { Length: > 0 } rv)
                {
                    lastResourceVersion = rv;
                }
            }
        }

        return (null, events);
    }
}
