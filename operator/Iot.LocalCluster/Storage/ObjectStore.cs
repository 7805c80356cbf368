using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

/// <summary>
/// The in-memory object store of the local API server: objects of every kind under one global resourceVersion, with the
/// server-side behaviours clients rely on — identity, optimistic concurrency, the status subresource, generation,
/// finalizers, namespace termination, garbage collection, selectors, pagination and watches. It deep-copies what it is
/// given and what it returns, so callers never share its state.
/// </summary>
/// <remarks>
/// One lock guards all state. Watch channels are written under it, so each watch sees changes in resourceVersion order;
/// <see cref="Changed"/> is raised after it is released, so handlers may call back into the store (but handlers of
/// concurrent writes may interleave).
/// </remarks>
public sealed partial class ObjectStore
{
    /// <summary><see cref="ResourceType.Key"/> of Namespaces, which the store itself consults.</summary>
    internal const string NamespacesKey = "/namespaces";

    private readonly Lock _lock = new();
    private readonly TimeProvider _time;
    private readonly ObjectIndex _index = new();
    private readonly ChangeHistory _history;
    private readonly Dictionary<string, List<StoreWatch>> _watchesByType = new(StringComparer.Ordinal);
    private readonly TimeSpan _namespaceCleanupDelay;
    private long _resourceVersion;

    /// <param name="time">The clock for timestamps and the namespace clean-up timer.</param>
    /// <param name="historySize">How many watch events are kept for watches that resume from a resourceVersion.</param>
    /// <param name="namespaceCleanupDelay">
    /// How long a Terminating namespace keeps its contents before they are deleted, as the real namespace controller
    /// works asynchronously (so <c>kubectl delete -f dir/</c> can still delete the objects after their namespace).
    /// Zero deletes the contents within the namespace's own delete.
    /// </param>
    public ObjectStore(TimeProvider time, int historySize = 10_000, TimeSpan namespaceCleanupDelay = default)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfNegative(historySize);
        ArgumentOutOfRangeException.ThrowIfLessThan(namespaceCleanupDelay, TimeSpan.Zero);
        _time = time;
        _history = new ChangeHistory(historySize);
        _namespaceCleanupDelay = namespaceCleanupDelay;
    }

    /// <summary>Raised after each committed change with the kind, ADDED, MODIFIED or DELETED, and a copy of the object.</summary>
    public event Action<ResourceType, string, JsonObject>? Changed;

    /// <summary>The resourceVersion of the latest change, across all kinds.</summary>
    public long ResourceVersion
    {
        get
        {
            lock (_lock)
            {
                return _resourceVersion;
            }
        }
    }

    internal int OpenWatchCount
    {
        get
        {
            lock (_lock)
            {
                return _watchesByType.Values.Sum(w => w.Count);
            }
        }
    }

    public JsonObject? Get(ResourceType type, string? ns, string name)
    {
        ArgumentNullException.ThrowIfNull(type);
        lock (_lock)
        {
            return _index.Find(type.Key, KeyOf(type, ns, name))?.CloneObject();
        }
    }

    /// <summary>
    /// Lists objects of a kind (in one namespace, or all when <paramref name="ns"/> is null), sorted by namespace then name.
    /// Pages are read from the current state after the previous page's last key, not from a snapshot: objects created
    /// or deleted between pages appear or vanish. Every page reports the first page's resourceVersion, so a watch from
    /// it sees (possibly again) every change made while paging.
    /// </summary>
    public ObjectList List(ResourceType type, string? ns, ListOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var filter = ObjectFilter.Parse(type, ns, options.LabelSelector, options.FieldSelector);
        var token = string.IsNullOrEmpty(options.Continue) ? null : ContinueToken.Decode(options.Continue);
        var limit = options.Limit is > 0 ? options.Limit.Value : int.MaxValue;
        lock (_lock)
        {
            var items = new List<JsonObject>();
            var last = default(ObjectKey);
            long remaining = 0;
            foreach (var stored in _index.OfType(type.Key))
            {
                if ((token is not null && stored.Key.CompareTo(token.After) <= 0) || !filter.Matches(stored))
                {
                    continue;
                }

                if (items.Count < limit)
                {
                    items.Add(stored.CloneObject());
                    last = stored.Key;
                }
                else
                {
                    remaining++;
                }
            }

            var listVersion = token?.ResourceVersion ?? _resourceVersion;
            return remaining == 0
                ? new ObjectList(items, listVersion, null, null)
                : new ObjectList(items, listVersion, new ContinueToken(listVersion, last).Encode(), remaining);
        }
    }

    /// <summary>
    /// Opens a watch. From null or 0 it starts with a synthetic ADDED for each matching object; from N it replays every
    /// retained change after N (410 Expired when changes after N have been discarded); then it follows live changes.
    /// </summary>
    public StoreWatch Watch(ResourceType type, string? ns, WatchOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        var filter = ObjectFilter.Parse(type, ns, options.LabelSelector, options.FieldSelector);
        if (options.ResourceVersion < 0)
        {
            throw ApiException.BadRequest($"invalid resourceVersion: {options.ResourceVersion}");
        }

        lock (_lock)
        {
            var watch = new StoreWatch(this, type, filter);
            if (options.ResourceVersion is null or 0)
            {
                foreach (var stored in _index.OfType(type.Key).Where(filter.Matches))
                {
                    watch.SendExisting(stored);
                }
            }
            else
            {
                var since = options.ResourceVersion.Value;
                if (since < _history.CompactedResourceVersion)
                {
                    throw ApiException.Expired($"too old resource version: {since} ({_history.CompactedResourceVersion})");
                }

                foreach (var change in _history.After(since).Where(c => c.Current.Type.Key == type.Key))
                {
                    watch.Deliver(change);
                }
            }

            if (!_watchesByType.TryGetValue(type.Key, out var watches))
            {
                watches = [];
                _watchesByType.Add(type.Key, watches);
            }

            watches.Add(watch);
            return watch;
        }
    }

    /// <summary>How many watches are open (registered and not yet ended).</summary>
    public int OpenWatches
    {
        get
        {
            lock (_lock)
            {
                return _watchesByType.Values.Sum(w => w.Count);
            }
        }
    }

    /// <summary>Fault injection: completes every open watch's channel, as if every watch connection broke.</summary>
    public void DropAllWatches()
    {
        lock (_lock)
        {
            foreach (var watch in _watchesByType.Values.SelectMany(w => w))
            {
                watch.Close();
            }

            _watchesByType.Clear();
        }
    }

    internal void SendBookmark(StoreWatch watch)
    {
        lock (_lock)
        {
            if (watch.IsOpen)
            {
                watch.SendBookmark(_resourceVersion);
            }
        }
    }

    internal void StopWatching(StoreWatch watch)
    {
        lock (_lock)
        {
            if (_watchesByType.TryGetValue(watch.Type.Key, out var watches))
            {
                watches.Remove(watch);
            }

            watch.Close();
        }
    }

    private static ObjectKey KeyOf(ResourceType type, string? ns, string name) =>
        new(type.Namespaced ? ns ?? "" : "", name);
}
