using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

using MQTTnet;

namespace Iot.Broker.SharedSubscriptions;

/// <summary>
/// Shared subscription groups and their members. MQTTnet.Server 5.2 refuses <c>$share/…</c>, so the broker subscribes
/// each member to the plain filter and decides here, per message and receiver, whether that member is the one the group
/// chose: by rendezvous hashing of the topic (every message of a topic reaches the same member while the members stay the
/// same; when one leaves, only its topics move) or round robin. Connected members are preferred; a group with none
/// connected chooses among its persistent sessions, whose queues keep the messages.
/// </summary>
public sealed class SharedSubscriptionTable(SharedSubscriptionDispatch dispatch)
{
    private static readonly ClientSubscriptions NoSubscriptions = new([], [], Connected: true);

    private readonly Lock gate = new();
    private readonly ConcurrentDictionary<string, ClientSubscriptions> clients = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<SharedFilter, Group> groups = new();

    /// <summary>Adds <paramref name="clientId"/> to the group of <paramref name="filter"/>.</summary>
    public void Join(string clientId, SharedFilter filter) => Update(clientId, c => c with { Shared = [.. c.Shared.Where(s => s != filter), filter] });

    /// <summary>Removes <paramref name="clientId"/> from the group of <paramref name="filter"/>.</summary>
    public void Leave(string clientId, SharedFilter filter) => Update(clientId, c => c with { Shared = [.. c.Shared.Where(s => s != filter)] });

    /// <summary>Records a plain (non-shared) subscription of a client, so it still receives what that subscription matches.</summary>
    public void AddPlain(string clientId, string filter) => Update(clientId, c => c with { Plain = [.. c.Plain.Where(p => p != filter), filter] });

    /// <summary>Forgets a plain subscription.</summary>
    public void RemovePlain(string clientId, string filter) => Update(clientId, c => c with { Plain = [.. c.Plain.Where(p => p != filter)] });

    /// <summary>Marks a client connected or disconnected (its session and subscriptions stay).</summary>
    public void SetConnected(string clientId, bool connected) => Update(clientId, c => c with { Connected = connected }, createIfMissing: false);

    /// <summary>Forgets a client whose session ended: it leaves all its groups.</summary>
    public void RemoveClient(string clientId) => Update(clientId, _ => NoSubscriptions, createIfMissing: false);

    /// <summary>
    /// Whether <paramref name="message"/>, which matches a subscription of <paramref name="receiverId"/>, is for that
    /// receiver: yes unless every subscription of the receiver it matches is shared and its groups chose another member.
    /// </summary>
    public bool ShouldDeliver(string receiverId, MqttApplicationMessage message)
    {
        if (!clients.TryGetValue(receiverId, out var subscriptions) || subscriptions.Shared.Length == 0)
        {
            return true;
        }

        var topic = message.Topic;
        var matchedShared = false;
        foreach (var shared in subscriptions.Shared)
        {
            if (MqttTopicFilterComparer.Compare(topic, shared.Filter) != MqttTopicFilterCompareResult.IsMatch)
            {
                continue;
            }

            matchedShared = true;
            if (groups.TryGetValue(shared, out var group) && group.Choose(message, dispatch) == receiverId)
            {
                return true;
            }
        }

        if (!matchedShared)
        {
            return true;
        }

        foreach (var plain in subscriptions.Plain)
        {
            if (MqttTopicFilterComparer.Compare(topic, plain) == MqttTopicFilterCompareResult.IsMatch)
            {
                return true;
            }
        }

        return false;
    }

    private void Update(string clientId, Func<ClientSubscriptions, ClientSubscriptions> change, bool createIfMissing = true)
    {
        lock (gate)
        {
            var exists = clients.TryGetValue(clientId, out var before);
            if (!exists && !createIfMissing)
            {
                return;
            }

            before ??= NoSubscriptions;
            var after = change(before);
            if (after.Shared.Length == 0 && after.Plain.Length == 0)
            {
                clients.TryRemove(clientId, out _);
            }
            else
            {
                clients[clientId] = after;
            }

            // Rebuild the member lists of every group the client was or is in.
            foreach (var filter in before.Shared.Union(after.Shared))
            {
                var group = groups.GetOrAdd(filter, _ => new Group());
                var members = group.Current.Members.Where(m => m != clientId).ToList();
                var connected = group.Current.Connected.Where(m => m != clientId).ToList();
                if (after.Shared.Contains(filter))
                {
                    members.Add(clientId);
                    if (after.Connected)
                    {
                        connected.Add(clientId);
                    }
                }

                if (members.Count == 0)
                {
                    groups.TryRemove(filter, out _);
                    continue;
                }

                group.Current = new Membership([.. members.Order(StringComparer.Ordinal)], [.. connected.Order(StringComparer.Ordinal)]);
            }
        }
    }

    private sealed record ClientSubscriptions(SharedFilter[] Shared, string[] Plain, bool Connected);

    /// <summary>An immutable view of a group's members, with the topic → member choices made under it.</summary>
    private sealed record Membership(string[] Members, string[] Connected)
    {
        public ConcurrentDictionary<string, string> ChosenByTopic { get; } = new(StringComparer.Ordinal);

        public string[] Candidates => Connected.Length > 0 ? Connected : Members;
    }

    private sealed class Group
    {
        private readonly ConditionalWeakTable<MqttApplicationMessage, string> roundRobinChoices = [];
        private long next;
        private volatile Membership current = new([], []);

        public Membership Current
        {
            get => current;
            set => current = value;
        }

        public string? Choose(MqttApplicationMessage message, SharedSubscriptionDispatch dispatch)
        {
            var membership = current;
            var candidates = membership.Candidates;
            if (candidates.Length == 0)
            {
                return null;
            }

            if (dispatch == SharedSubscriptionDispatch.RoundRobin)
            {
                // MQTTnet asks once per receiver with the same message object: the first ask picks, the others see that pick.
                return roundRobinChoices.GetValue(message, _ => candidates[(int)((ulong)Interlocked.Increment(ref next) % (ulong)candidates.Length)]);
            }

            return membership.ChosenByTopic.GetOrAdd(message.Topic, static (topic, members) => Rendezvous(topic, members), candidates);
        }

        // Highest random weight: each topic goes to the member with the largest hash of (topic, member).
        private static string Rendezvous(string topic, string[] members)
        {
            var best = members[0];
            var bestWeight = 0UL;
            var topicHash = Fnv1a(topic, 14695981039346656037UL);
            foreach (var member in members)
            {
                var weight = Mix(Fnv1a(member, topicHash));
                if (weight >= bestWeight)
                {
                    (best, bestWeight) = (member, weight);
                }
            }

            return best;
        }

        private static ulong Fnv1a(string text, ulong hash)
        {
            foreach (var c in text)
            {
                hash = (hash ^ c) * 1099511628211UL;
            }

            return hash;
        }

        private static ulong Mix(ulong x)
        {
            x ^= x >> 33;
            x *= 0xff51afd7ed558ccdUL;
            x ^= x >> 33;
            x *= 0xc4ceb9fe1a85ec53UL;
            return x ^ (x >> 33);
        }
    }
}
