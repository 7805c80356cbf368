using Iot.Api.AlertRoutes;
using Iot.Notify.Grouping;
using Iot.Notify.Routing;
using Iot.Storage.Events;

using k8s;

using Microsoft.Extensions.Options;

namespace Iot.Notify.Delivery;

/// <summary>
/// Turns notifications into outbox rows, one per receiver, written to the store before the first attempt, and
/// hands them to the <see cref="DeliveryWorker"/>. Also keeps the group notification log in the store.
/// </summary>
public sealed class Outbox(IEventStore store, DeliveryWorker worker, IOptions<NotifyOptions> options, TimeProvider time)
{
    private readonly string ns = options.Value.Namespace;

    /// <summary>Writes the outbox rows of everything <paramref name="notifications"/> yields, until it completes or cancellation.</summary>
    public async Task RunAsync(System.Threading.Channels.ChannelReader<GroupNotification> notifications, CancellationToken cancellationToken)
    {
        await foreach (var group in notifications.ReadAllAsync(cancellationToken).ConfigureAwait(false))
        {
            await EnqueueGroupAsync(group, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One notification per receiver of the group's route, and the group's log entry.</summary>
    public async Task EnqueueGroupAsync(GroupNotification group, CancellationToken cancellationToken)
    {
        foreach (var receiver in group.Receivers)
        {
            await EnqueueAsync(group.Route, receiver, group.GroupKey, id => NotificationPayload.ForGroup(id, ns, receiver.Name, group), cancellationToken).ConfigureAwait(false);
        }

        if (group.Logged.Count > 0)
        {
            await store.SaveGroupLogAsync(new GroupLogEntry(group.GroupKey, group.Route, group.Logged, group.At), cancellationToken).ConfigureAwait(false);
        }
        else
        {
            await store.DeleteGroupLogAsync(group.GroupKey, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Writes one pending notification to <paramref name="receiver"/> and schedules its first attempt now.</summary>
    public async Task<NotificationRecord> EnqueueAsync(string route, Receiver receiver, string groupKey, Func<string, NotificationPayload> payload, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var now = time.GetUtcNow();
        var body = payload(id);
        var type = CompiledRoute.TypeOf(receiver);
        var record = new NotificationRecord
        {
            Id = id,
            CreatedAt = now,
            Route = route,
            Receiver = receiver.Name,
            ReceiverType = type,
            ReceiverSpec = KubernetesJson.Serialize(receiver),
            GroupKey = groupKey,
            Payload = body.ToJson(),
            NextAttemptAt = now,
        };
        var fingerprints = body.Alerts.Select(a => a.Fingerprint).ToList();
        var single = body.Alerts.Count == 1 ? body.Alerts[0] : null;
        await store.EnqueueAsync(record, new EventRecord
        {
            At = now,
            Type = "notification.queued",
            Route = route,
            Receiver = receiver.Name,
            NotificationId = id,
            Fingerprint = single?.Fingerprint,
            Rule = single?.Labels.GetValueOrDefault("rule"),
            Device = single?.Labels.GetValueOrDefault("device"),
            Message = $"{body.Title} queued for {type} receiver {receiver.Name}" + (fingerprints.Count > 1 ? $" ({fingerprints.Count} alerts: {string.Join(", ", fingerprints)})" : ""),
        }, cancellationToken).ConfigureAwait(false);
        worker.Schedule(record);
        return record;
    }
}
