using System.Collections.Concurrent;

using MQTTnet.Server;

namespace Iot.Broker.Backpressure;

/// <summary>What to do with a message for a subscriber, given how full that subscriber's queue is.</summary>
public enum QueueDecision
{
    /// <summary>Room in the queue: enqueue.</summary>
    Enqueue,

    /// <summary>Full, QoS 0: drop it (counted).</summary>
    Drop,

    /// <summary>Full, QoS 1: the publisher waits until the queue drains, then it is enqueued.</summary>
    Wait,
}

/// <summary>
/// The depth of each subscriber's MQTTnet session queue, read live from its session, and the push-back on publishers:
/// MQTTnet's own bound drops the oldest queued message (QoS 1 included), so the broker sets that bound out of reach and
/// enforces its own here. A QoS 1 publish for a full queue waits (inside MQTTnet's dispatch, so the publisher's PUBACK and
/// the reading of its connection wait too) until the queue is below three quarters of the bound.
/// </summary>
public sealed class SubscriberQueues(int maxQueued, TimeSpan maxWait, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private readonly ConcurrentDictionary<string, MqttSessionStatus> sessions = new(StringComparer.Ordinal);
    private readonly int resumeBelow = Math.Max(1, maxQueued * 3 / 4);

    /// <summary>Remembers the session of a subscriber (MQTTnet hands it over when the client subscribes).</summary>
    public void Track(string clientId, MqttSessionStatus session) => sessions[clientId] = session;

    /// <summary>Forgets a subscriber whose session ended.</summary>
    public void Forget(string clientId) => sessions.TryRemove(clientId, out _);

    /// <summary>Messages queued for <paramref name="clientId"/> (0 if unknown).</summary>
    public long Depth(string clientId) => sessions.TryGetValue(clientId, out var session) ? session.PendingApplicationMessagesCount : 0;

    /// <summary>Whether a message at <paramref name="qos1"/> for <paramref name="clientId"/> may be queued now.</summary>
    public QueueDecision Decide(string clientId, bool qos1)
    {
        if (Depth(clientId) < maxQueued)
        {
            return QueueDecision.Enqueue;
        }

        return qos1 ? QueueDecision.Wait : QueueDecision.Drop;
    }

    /// <summary>
    /// Waits until <paramref name="clientId"/>'s queue is below the resume mark, its session is gone, or the safety valve
    /// (the maximum wait) opens; true when it drained, false when the wait gave up (the message is queued anyway).
    /// </summary>
    public async Task<bool> WaitForRoomAsync(string clientId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + maxWait;
        while (sessions.ContainsKey(clientId) && Depth(clientId) >= resumeBelow)
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }
}
