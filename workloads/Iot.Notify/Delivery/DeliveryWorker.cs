using System.Collections.Concurrent;
using System.Threading.Channels;

using Iot.Api.AlertRoutes;
using Iot.Storage.Events;

using k8s;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Notify.Delivery;

/// <summary>
/// Works the outbox: each pending notification is attempted when due; a failure is retried after an exponential,
/// jittered backoff, and after the last allowed attempt the notification is <c>failed</c> with the last error. Every
/// attempt, the notification's new state and an event are written in one transaction before the next step, so a
/// restart resumes exactly the notifications still pending (at-least-once: one interrupted mid-attempt is sent again).
/// </summary>
public sealed partial class DeliveryWorker : IDisposable
{
    private readonly IEventStore store;
    private readonly Dictionary<string, INotificationSender> senders;
    private readonly NotifyOptions options;
    private readonly TimeProvider time;
    private readonly NotifyMetrics metrics;
    private readonly ILogger<DeliveryWorker> logger;
    private readonly Channel<NotificationRecord> ready = Channel.CreateUnbounded<NotificationRecord>();
    private readonly ConcurrentDictionary<string, ITimer?> pending = new(StringComparer.Ordinal);
    private readonly Random random = new();

    public DeliveryWorker(IEventStore store, IEnumerable<INotificationSender> senders, IOptions<NotifyOptions> options, TimeProvider time, NotifyMetrics metrics, ILogger<DeliveryWorker> logger)
    {
        this.store = store;
        this.senders = senders.ToDictionary(s => s.ReceiverType, StringComparer.Ordinal);
        this.options = options.Value;
        this.time = time;
        this.metrics = metrics;
        this.logger = logger;
    }

    /// <summary>Schedules <paramref name="notification"/> for its <see cref="NotificationRecord.NextAttemptAt"/>.</summary>
    public void Schedule(NotificationRecord notification)
    {
        var delay = notification.NextAttemptAt - time.GetUtcNow();
        if (delay <= TimeSpan.Zero)
        {
            pending[notification.Id] = null;
            ready.Writer.TryWrite(notification);
        }
        else
        {
            var timer = time.CreateTimer(_ => ready.Writer.TryWrite(notification), null, delay, Timeout.InfiniteTimeSpan);
            if (pending.TryGetValue(notification.Id, out var previous))
            {
                previous?.Dispose();
            }

            pending[notification.Id] = timer;
        }

        metrics.SetOutboxDepth(pending.Count);
    }

    /// <summary>Resumes the pending notifications of the store, then delivers until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        foreach (var notification in await store.ListPendingAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!pending.ContainsKey(notification.Id))
            {
                LogResumed(notification.Id, notification.Route, notification.Receiver, notification.Attempts);
                Schedule(notification);
            }
        }

        var workers = Enumerable.Range(0, options.DeliveryConcurrency).Select(_ => Task.Run(async () =>
        {
            await foreach (var notification in ready.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await DeliverAsync(notification, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken));
        try
        {
            await Task.WhenAll(workers).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: what is pending stays pending in the store.
        }
    }

    private async Task DeliverAsync(NotificationRecord notification, CancellationToken cancellationToken)
    {
        var attempt = notification.Attempts + 1;
        var started = time.GetTimestamp();
        var at = time.GetUtcNow();
        string? error = null;
        try
        {
            if (!senders.TryGetValue(notification.ReceiverType, out var sender))
            {
                throw new DeliveryException($"no sender for receiver type \"{notification.ReceiverType}\"");
            }

            var receiver = KubernetesJson.Deserialize<Receiver>(notification.ReceiverSpec);
            await sender.SendAsync(receiver, NotificationPayload.Parse(notification.Payload), notification.Payload, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return; // stopping mid-attempt: the notification stays pending and is attempted again after the restart
        }
        catch (Exception e)
        {
            // Whatever a receiver throws is this attempt's failure, never the worker's end.
            error = e.Message;
        }

        var duration = time.GetElapsedTime(started);
        var now = time.GetUtcNow();
        var (status, type, result) = error is null
            ? (NotificationStatus.Delivered, "notification.delivered", "delivered")
            : attempt >= options.Retry.MaxAttempts
                ? (NotificationStatus.Failed, "notification.failed", "failed")
                : (NotificationStatus.Pending, "notification.retrying", "retrying");
        var next = status == NotificationStatus.Pending ? now + options.Retry.BackoffAfter(attempt, random) : now;
        var updated = notification with
        {
            Status = status,
            Attempts = attempt,
            NextAttemptAt = next,
            LastError = error ?? notification.LastError,
            CompletedAt = status == NotificationStatus.Pending ? null : now,
        };
        var message = status switch
        {
            NotificationStatus.Delivered => $"delivered to {notification.ReceiverType} receiver {notification.Receiver} (attempt {attempt})",
            NotificationStatus.Failed => $"failed after {attempt} attempt(s) to {notification.ReceiverType} receiver {notification.Receiver}: {error}",
            _ => $"attempt {attempt} to {notification.ReceiverType} receiver {notification.Receiver} failed: {error}; next attempt at {next:O}",
        };
        try
        {
            await store.RecordAttemptAsync(
                new DeliveryAttempt(notification.Id, attempt, at, duration, error is null, error),
                updated,
                new EventRecord { At = now, Type = type, Route = notification.Route, Receiver = notification.Receiver, NotificationId = notification.Id, Message = message },
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The store is down: keep the notification as it was and try it again later, so nothing is lost.
            LogStoreFailed(e, notification.Id);
            Schedule(notification with { NextAttemptAt = now + options.Retry.BackoffAfter(attempt, random) });
            return;
        }

        metrics.Delivery(notification.ReceiverType, result, duration);
        if (status == NotificationStatus.Pending)
        {
            LogRetrying(notification.Id, notification.Receiver, attempt, error, next);
            Schedule(updated);
            return;
        }

        if (pending.TryRemove(notification.Id, out var timer))
        {
            timer?.Dispose();
        }

        metrics.SetOutboxDepth(pending.Count);
        if (status == NotificationStatus.Failed)
        {
            LogFailed(notification.Id, notification.Receiver, attempt, error);
        }
    }

    public void Dispose()
    {
        foreach (var timer in pending.Values)
        {
            timer?.Dispose();
        }

        ready.Writer.TryComplete();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming notification {Id} to {Route}/{Receiver} after {Attempts} attempt(s)")]
    private partial void LogResumed(string id, string route, string receiver, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {Id} to {Receiver}: attempt {Attempt} failed ({Error}); next at {Next}")]
    private partial void LogRetrying(string id, string receiver, int attempt, string? error, DateTimeOffset next);

    [LoggerMessage(Level = LogLevel.Error, Message = "Notification {Id} to {Receiver} failed after {Attempt} attempt(s): {Error}")]
    private partial void LogFailed(string id, string receiver, int attempt, string? error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cannot record the attempt of notification {Id}; it will be attempted again")]
    private partial void LogStoreFailed(Exception exception, string id);
}
