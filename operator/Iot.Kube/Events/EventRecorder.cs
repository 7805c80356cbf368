using System.Threading.Channels;

using k8s;
using k8s.Models;

namespace Iot.Kube;

/// <summary>
/// Records core/v1 Events about objects without ever blocking or throwing into the caller: <c>Record</c> puts the
/// Event in a bounded queue (dropping and counting it when the queue is full) and a background task writes it. Like
/// client-go, an Event repeated (same object, type, reason and message) within
/// <see cref="EventRecorderOptions.AggregationWindow"/> of its last occurrence bumps the existing Event's count and
/// lastTimestamp instead of creating another. Dispose to write what is queued and stop.
/// </summary>
public sealed class EventRecorder : IAsyncDisposable
{
    private readonly IEventSink sink;
    private readonly EventRecorderOptions options;
    private readonly TimeProvider time;
    private readonly string instance;
    private readonly Channel<Item> queue;
    private readonly Dictionary<EventKey, Occurrence> recent = [];
    private readonly CancellationTokenSource stopping = new();
    private readonly Task processing;
    private long dropped;
    private long failed;
    private long lastNameStamp;
    private int disposed;

    /// <summary>Creates a recorder writing through <paramref name="client"/>; it runs until disposed.</summary>
    public EventRecorder(IKubernetes client, EventRecorderOptions options, TimeProvider? time = null)
        : this(new KubernetesEventSink(client ?? throw new ArgumentNullException(nameof(client))), options, time)
    {
    }

    internal EventRecorder(IEventSink sink, EventRecorderOptions options, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentException.ThrowIfNullOrEmpty(options.Component);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        this.sink = sink;
        this.options = options;
        this.time = time ?? TimeProvider.System;
        instance = options.Instance is { Length: > 0 } given ? given : Environment.MachineName;
        queue = Channel.CreateBounded<Item>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait,
            SingleReader = true,
        });
        processing = Task.Run(ProcessAsync);
    }

    /// <summary>How many Events were dropped because the queue was full or the recorder was disposed.</summary>
    public long Dropped => Interlocked.Read(ref dropped);

    /// <summary>How many Events could not be written to the API server.</summary>
    public long Failed => Interlocked.Read(ref failed);

    /// <summary>A reference to <paramref name="obj"/> for <see cref="Corev1Event.InvolvedObject"/>.</summary>
    public static V1ObjectReference ReferenceTo(IKubernetesObject<V1ObjectMeta> obj)
    {
        ArgumentNullException.ThrowIfNull(obj);
        return new V1ObjectReference
        {
            ApiVersion = obj.ApiVersion,
            Kind = obj.Kind,
            Name = obj.Metadata?.Name,
            NamespaceProperty = obj.Metadata?.NamespaceProperty,
            Uid = obj.Metadata?.Uid,
            ResourceVersion = obj.Metadata?.ResourceVersion,
        };
    }

    /// <summary>Queues an Event of <paramref name="type"/> (<see cref="EventTypes"/>) about <paramref name="involvedObject"/>; never blocks or throws.</summary>
    public void Record(V1ObjectReference involvedObject, string type, string reason, string message)
    {
        try
        {
            if (involvedObject?.Name is not { Length: > 0 } || string.IsNullOrEmpty(type) || string.IsNullOrEmpty(reason))
            {
                Interlocked.Increment(ref dropped);
                return;
            }

            var item = new Item(involvedObject, type, reason, message ?? string.Empty, time.GetUtcNow().UtcDateTime, Flushed: null);
            if (!queue.Writer.TryWrite(item))
            {
                Interlocked.Increment(ref dropped);
            }
        }
        catch (Exception)
        {
            Interlocked.Increment(ref dropped);
        }
    }

    /// <summary>Queues an Event of <paramref name="type"/> (<see cref="EventTypes"/>) about <paramref name="obj"/>; never blocks or throws.</summary>
    public void Record(IKubernetesObject<V1ObjectMeta> obj, string type, string reason, string message)
    {
        V1ObjectReference reference;
        try
        {
            reference = ReferenceTo(obj);
        }
        catch (Exception)
        {
            Interlocked.Increment(ref dropped);
            return;
        }

        Record(reference, type, reason, message);
    }

    /// <summary>Queues a Normal Event about <paramref name="obj"/>.</summary>
    public void Normal(IKubernetesObject<V1ObjectMeta> obj, string reason, string message) => Record(obj, EventTypes.Normal, reason, message);

    /// <summary>Queues a Warning Event about <paramref name="obj"/>.</summary>
    public void Warning(IKubernetesObject<V1ObjectMeta> obj, string reason, string message) => Record(obj, EventTypes.Warning, reason, message);

    /// <summary>Completes once every Event queued before the call has been written (or has failed).</summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await queue.Writer.WriteAsync(new Item(null, "", "", "", default, flushed), cancellationToken).ConfigureAwait(false);
        }
        catch (ChannelClosedException)
        {
            // Disposed: wait for the drain instead.
            await processing.WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        await flushed.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes the queued Events (for up to <see cref="EventRecorderOptions.DrainTimeout"/>) and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        queue.Writer.TryComplete();
        try
        {
            await processing.WaitAsync(options.DrainTimeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            await stopping.CancelAsync().ConfigureAwait(false);
            await processing.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        stopping.Dispose();
    }

    private async Task ProcessAsync()
    {
        await foreach (var item in queue.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            if (item.Flushed is { } flushed)
            {
                flushed.TrySetResult();
                continue;
            }

            try
            {
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
                timeout.CancelAfter(options.RequestTimeout);
                await WriteAsync(item, timeout.Token).ConfigureAwait(false);
            }
            catch (Exception)
            {
                Interlocked.Increment(ref failed);
            }
        }
    }

    private async Task WriteAsync(Item item, CancellationToken cancellationToken)
    {
        var reference = item.InvolvedObject!;
        var key = new EventKey(reference.ApiVersion, reference.Kind, reference.NamespaceProperty, reference.Name, reference.Uid, reference.FieldPath, item.Type, item.Reason, item.Message);
        if (recent.TryGetValue(key, out var seen) && item.Time - seen.LastTimestamp <= options.AggregationWindow)
        {
            var count = seen.Count + 1;
            var last = item.Time > seen.LastTimestamp ? item.Time : seen.LastTimestamp;
            if (await sink.UpdateCountAsync(seen.Namespace, seen.Name, count, last, cancellationToken).ConfigureAwait(false))
            {
                recent[key] = seen with { Count = count, LastTimestamp = last };
                return;
            }

            // The Event was deleted (or expired): start a new one.
            recent.Remove(key);
        }

        var @event = NewEvent(item);
        await sink.CreateAsync(@event, cancellationToken).ConfigureAwait(false);
        Remember(key, new Occurrence(@event.Metadata.NamespaceProperty, @event.Metadata.Name, 1, item.Time));
    }

    private Corev1Event NewEvent(Item item)
    {
        var reference = item.InvolvedObject!;
        var @namespace = reference.NamespaceProperty is { Length: > 0 } ns ? ns : "default";

        // Named like client-go's: the object's name and a unique hexadecimal timestamp.
        var stamp = (item.Time - DateTime.UnixEpoch).Ticks * 100;
        stamp = lastNameStamp = Math.Max(stamp, lastNameStamp + 1);
        return new Corev1Event
        {
            ApiVersion = "v1",
            Kind = "Event",
            Metadata = new V1ObjectMeta { Name = $"{reference.Name}.{stamp:x}", NamespaceProperty = @namespace },
            InvolvedObject = reference,
            Type = item.Type,
            Reason = item.Reason,
            Message = item.Message,
            Count = 1,
            FirstTimestamp = item.Time,
            LastTimestamp = item.Time,
            Source = new V1EventSource { Component = options.Component, Host = instance },
            ReportingComponent = options.Component,
            ReportingInstance = instance,
        };
    }

    private void Remember(EventKey key, Occurrence occurrence)
    {
        recent[key] = occurrence;
        if (recent.Count <= options.CacheSize)
        {
            return;
        }

        // Forget the least recently seen tenth.
        foreach (var old in recent.OrderBy(e => e.Value.LastTimestamp).Take(Math.Max(1, options.CacheSize / 10)).Select(e => e.Key).ToList())
        {
            recent.Remove(old);
        }
    }

    private sealed record Item(V1ObjectReference? InvolvedObject, string Type, string Reason, string Message, DateTime Time, TaskCompletionSource? Flushed);

    private readonly record struct EventKey(string? ApiVersion, string? Kind, string? Namespace, string? Name, string? Uid, string? FieldPath, string Type, string Reason, string Message);

    private sealed record Occurrence(string Namespace, string Name, int Count, DateTime LastTimestamp);
}
