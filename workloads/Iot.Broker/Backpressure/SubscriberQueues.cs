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
/// Reading the depth takes the lock of the subscriber's queue, which every publisher's dispatch to that subscriber also
/// takes; read for every message, it made the dispatching threads queue on that lock (measured with 1,000 publishers and a
/// shared group of 4: most of their time blocked there, a seventh of the broker's managed CPU spinning). So a read grants credit: a
/// queue seen at depth d takes <c>max - d</c> more messages before it is read again, which keeps the bound (exceeded at
/// most by the messages of dispatchers that read the depth at the same instant).
/// </summary>
public sealed class SubscriberQueues(int maxQueued, TimeSpan maxWait, TimeProvider time)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(2);
    private readonly ConcurrentDictionary<string, Subscriber> subscribers = new(StringComparer.Ordinal);
    private readonly int resumeBelow = Math.Max(1, maxQueued * 3 / 4);

    /// <summary>Remembers the session of a subscriber (MQTTnet hands it over when the client subscribes).</summary>
    public void Track(string clientId, MqttSessionStatus session) => subscribers[clientId] = new Subscriber(session);

    /// <summary>Forgets a subscriber whose session ended.</summary>
    public void Forget(string clientId) => subscribers.TryRemove(clientId, out _);

    /// <summary>Messages queued for <paramref name="clientId"/> (0 if unknown).</summary>
    public long Depth(string clientId) => subscribers.TryGetValue(clientId, out var subscriber) ? subscriber.Session.PendingApplicationMessagesCount : 0;

    /// <summary>Whether a message at <paramref name="qos1"/> for <paramref name="clientId"/> may be queued now.</summary>
    public QueueDecision Decide(string clientId, bool qos1)
    {
        if (!subscribers.TryGetValue(clientId, out var subscriber) || subscriber.TakeCredit())
        {
            return QueueDecision.Enqueue;
        }

        var depth = subscriber.Session.PendingApplicationMessagesCount;
        if (depth < maxQueued)
        {
            subscriber.GrantCredit((int)(maxQueued - depth - 1)); // this message takes one
            return QueueDecision.Enqueue;
        }

        subscriber.GrantCredit(0); // full: the next message reads the depth again (and the credit never wraps around)
        return qos1 ? QueueDecision.Wait : QueueDecision.Drop;
    }

    /// <summary>
    /// Waits until <paramref name="clientId"/>'s queue is below the resume mark, its session is gone, or the safety valve
    /// (the maximum wait) opens; true when it drained, false when the wait gave up (the message is queued anyway).
    /// </summary>
    public async Task<bool> WaitForRoomAsync(string clientId, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + maxWait;
        while (subscribers.ContainsKey(clientId) && Depth(clientId) >= resumeBelow)
        {
            if (time.GetUtcNow() >= deadline)
            {
                return false;
            }

            await Task.Delay(PollInterval, time, cancellationToken).ConfigureAwait(false);
        }

        return true;
    }

    /// <summary>A subscriber's session and how many more messages its queue can take before its depth must be read again.</summary>
    private sealed class Subscriber(MqttSessionStatus session)
    {
        private int credit;

        public MqttSessionStatus Session { get; } = session;

        /// <summary>Takes one message's worth of credit; false when there is none left (read the depth).</summary>
        public bool TakeCredit() => Interlocked.Decrement(ref credit) >= 0;

        public void GrantCredit(int messages) => Volatile.Write(ref credit, messages);
    }
}
