using System.Diagnostics;

namespace Iot.Kube;

/// <summary>Settings of a <see cref="WorkQueue"/>.</summary>
public sealed record WorkQueueOptions
{
    /// <summary>The queue's name in metrics.</summary>
    public string Name { get; init; } = "default";

    /// <summary>The clock for delays, backoff and latency.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The first per-key backoff of <see cref="WorkQueue.AddRateLimited"/>; it doubles on every further failure.</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>The largest per-key backoff.</summary>
    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(1000);

    /// <summary>Sustained rate of rate-limited adds across all keys, per second.</summary>
    public double RateLimit { get; init; } = 10;

    /// <summary>How many rate-limited adds may happen at once before <see cref="RateLimit"/> applies.</summary>
    public int Burst { get; init; } = 100;
}

/// <summary>
/// A work queue of string keys, after client-go's rate-limiting queue: a key waiting twice is processed once, a key is
/// never handed to two workers at once (a key added while it is processed is handed out again after <see cref="Done"/>),
/// delayed adds, and per-key exponential backoff with an overall token bucket for <see cref="AddRateLimited"/>.
/// </summary>
public sealed class WorkQueue : IDisposable
{
    private readonly Lock gate = new();
    private readonly WorkQueueOptions options;
    private readonly Queue<string> queue = new();
    private readonly HashSet<string> dirty = new(StringComparer.Ordinal);
    private readonly HashSet<string> processing = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> addedAt = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> startedAt = new(StringComparer.Ordinal);
    private readonly LinkedList<TaskCompletionSource<string?>> waiters = new();
    private readonly Dictionary<string, (DateTimeOffset Due, ITimer Timer)> delayed = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> failures = new(StringComparer.Ordinal);
    private readonly TagList tags;
    private double tokens;
    private DateTimeOffset tokensAt;
    private bool shuttingDown;

    /// <summary>A queue with the given settings (defaults: 5 ms → 1000 s backoff, 10/s with a burst of 100).</summary>
    public WorkQueue(WorkQueueOptions? options = null)
    {
        this.options = options ?? new WorkQueueOptions();
        tokens = this.options.Burst;
        tokensAt = this.options.Time.GetUtcNow();
        tags = new TagList { { "name", this.options.Name } };
    }

    /// <summary>How many keys wait to be handed out (not counting delayed keys or keys being processed).</summary>
    public int Length
    {
        get
        {
            lock (gate)
            {
                return queue.Count;
            }
        }
    }

    /// <summary>How many keys wait for their delay to pass.</summary>
    public int DelayedCount
    {
        get
        {
            lock (gate)
            {
                return delayed.Count;
            }
        }
    }

    /// <summary>True once <see cref="ShutDown"/> was called.</summary>
    public bool IsShuttingDown
    {
        get
        {
            lock (gate)
            {
                return shuttingDown;
            }
        }
    }

    /// <summary>Queues a key unless it already waits; ignored after <see cref="ShutDown"/>.</summary>
    public void Add(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        lock (gate)
        {
            if (shuttingDown || !dirty.Add(key))
            {
                return;
            }

            RuntimeMetrics.QueueAdds.Add(1, tags);
            addedAt[key] = options.Time.GetTimestamp();
            if (!processing.Contains(key))
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Queues a key once <paramref name="delay"/> has passed; of several pending delays for a key the earliest wins.</summary>
    public void AddAfter(string key, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (delay <= TimeSpan.Zero)
        {
            Add(key);
            return;
        }

        lock (gate)
        {
            if (shuttingDown)
            {
                return;
            }

            var due = options.Time.GetUtcNow() + delay;
            if (delayed.TryGetValue(key, out var existing))
            {
                if (existing.Due <= due)
                {
                    return;
                }

                existing.Timer.Dispose();
            }

            // Registered before the timer exists so that a timer firing at once finds its entry.
            var timer = options.Time.CreateTimer(static state => ((DelayedAdd)state!).Fire(), new DelayedAdd(this, key, due), Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            delayed[key] = (due, timer);
            timer.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>Queues a key after its backoff: per key 5 ms doubling up to 1000 s (by default), and never faster than the overall token bucket.</summary>
    public void AddRateLimited(string key)
    {
        RuntimeMetrics.QueueRetries.Add(1, tags);
        AddAfter(key, When(key));
    }

    /// <summary>Resets the backoff of a key (call after it was processed successfully).</summary>
    public void Forget(string key)
    {
        lock (gate)
        {
            failures.Remove(key);
        }
    }

    /// <summary>How many times the key was rate-limited since it was last forgotten.</summary>
    public int NumRequeues(string key)
    {
        lock (gate)
        {
            return failures.GetValueOrDefault(key);
        }
    }

    /// <summary>
    /// Waits for a key and marks it as being processed; the caller must call <see cref="Done"/> with it.
    /// Returns null once the queue is shut down and drained.
    /// </summary>
    public async ValueTask<string?> GetAsync(CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        TaskCompletionSource<string?> waiter;
        LinkedListNode<TaskCompletionSource<string?>> node;
        lock (gate)
        {
            if (queue.Count > 0)
            {
                return TakeLocked(queue.Dequeue());
            }

            if (shuttingDown)
            {
                return null;
            }

            waiter = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
            node = waiters.AddLast(waiter);
        }

        await using var registration = cancellationToken.Register(() =>
        {
            lock (gate)
            {
                if (node.List is null)
                {
                    return; // already handed a key
                }

                waiters.Remove(node);
            }

            waiter.TrySetCanceled(cancellationToken);
        });
        return await waiter.Task.ConfigureAwait(false);
    }

    /// <summary>Marks a key as processed; if it was added meanwhile it is queued again.</summary>
    public void Done(string key)
    {
        lock (gate)
        {
            if (!processing.Remove(key))
            {
                return;
            }

            if (startedAt.Remove(key, out var started))
            {
                RuntimeMetrics.WorkDuration.Record(options.Time.GetElapsedTime(started).TotalSeconds, tags);
            }

            if (dirty.Contains(key))
            {
                Enqueue(key);
            }
        }
    }

    /// <summary>Stops accepting keys; waiting <see cref="GetAsync"/> calls return null once the queue is empty.</summary>
    public void ShutDown()
    {
        List<TaskCompletionSource<string?>> release;
        lock (gate)
        {
            shuttingDown = true;
            foreach (var (_, timer) in delayed.Values)
            {
                timer.Dispose();
            }

            delayed.Clear();
            release = [.. waiters];
            waiters.Clear();
        }

        foreach (var waiter in release)
        {
            waiter.TrySetResult(null);
        }
    }

    /// <inheritdoc />
    public void Dispose() => ShutDown();

    internal TimeSpan When(string key)
    {
        lock (gate)
        {
            var n = failures.GetValueOrDefault(key);
            failures[key] = n + 1;
            var exponential = options.BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(n, 62));
            var perKey = TimeSpan.FromMilliseconds(Math.Min(exponential, options.MaxDelay.TotalMilliseconds));

            // Token bucket with reservations (golang.org/x/time/rate): take a token now, or owe one and wait for it.
            var now = options.Time.GetUtcNow();
            tokens = Math.Min(options.Burst, tokens + ((now - tokensAt).TotalSeconds * options.RateLimit));
            tokensAt = now;
            tokens -= 1;
            var bucket = tokens >= 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(-tokens / options.RateLimit);
            return perKey > bucket ? perKey : bucket;
        }
    }

    private void Enqueue(string key)
    {
        // Hand the key straight to a waiting worker if there is one.
        if (waiters.First is { } first)
        {
            waiters.RemoveFirst();
            first.Value.TrySetResult(TakeLocked(key, fromQueue: false));
            return;
        }

        queue.Enqueue(key);
        RuntimeMetrics.QueueDepth.Add(1, tags);
    }

    private string TakeLocked(string key, bool fromQueue = true)
    {
        if (fromQueue)
        {
            RuntimeMetrics.QueueDepth.Add(-1, tags);
        }

        dirty.Remove(key);
        processing.Add(key);
        startedAt[key] = options.Time.GetTimestamp();
        if (addedAt.Remove(key, out var added))
        {
            RuntimeMetrics.QueueLatency.Record(options.Time.GetElapsedTime(added).TotalSeconds, tags);
        }

        return key;
    }

    private void FireDelayed(string key, DateTimeOffset due)
    {
        lock (gate)
        {
            if (!delayed.TryGetValue(key, out var entry) || entry.Due != due)
            {
                return; // superseded by an earlier delay, or shut down
            }

            delayed.Remove(key);
            entry.Timer.Dispose();
        }

        Add(key);
    }

    private sealed record DelayedAdd(WorkQueue Queue, string Key, DateTimeOffset Due)
    {
        public void Fire() => Queue.FireDelayed(Key, Due);
    }
}
