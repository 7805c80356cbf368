using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

// Committing changes: each takes the next resourceVersion, updates the index, and publishes to history, watches and Changed.
public sealed partial class ObjectStore
{
    private readonly List<(ResourceType Type, string EventType, JsonObject Object)> _announcements = [];

    // Versions removed by the current write, so a delete can return an object its cascade removed.
    private readonly Dictionary<string, StoredObject> _removedInWrite = new(StringComparer.Ordinal);

    /// <summary>Runs a write under the lock, then raises <see cref="Changed"/> for what it committed (even if it failed part-way).</summary>
    private T Write<T>(Func<T> operation)
    {
        List<(ResourceType Type, string EventType, JsonObject Object)> committed = [];
        try
        {
            lock (_lock)
            {
                try
                {
                    return operation();
                }
                finally
                {
                    committed = [.. _announcements];
                    _announcements.Clear();
                    _removedInWrite.Clear();
                    _pendingChecks.Clear();
                }
            }
        }
        finally
        {
            foreach (var (type, eventType, obj) in committed)
            {
                Changed?.Invoke(type, eventType, obj);
            }
        }
    }

    private StoredObject CommitAdded(ResourceType type, JsonObject candidate)
    {
        var added = Stamp(type, candidate);
        _index.Add(added);
        NoteMissingOwners(added);
        Publish(new StoredChange(added.ResourceVersion, WatchEventTypes.Added, added, null));
        return added;
    }

    /// <summary>Commits an update, or, when it leaves the object deleting with nothing holding it, the removal (as the real server does).</summary>
    private StoredObject CommitUpdate(StoredObject previous, JsonObject candidate) =>
        IsReadyForRemoval(previous.Type, candidate) ? CommitRemoved(previous, candidate) : CommitModified(previous, candidate);

    private StoredObject CommitModified(StoredObject previous, JsonObject candidate)
    {
        var current = Stamp(previous.Type, candidate);
        _index.Replace(previous, current);
        if (!previous.Owners.SequenceEqual(current.Owners))
        {
            // A dependent that dropped an owner (or stopped blocking it) may be what a foreground deletion waits for.
            foreach (var owner in previous.Owners)
            {
                Enqueue(PendingCheckKind.ForegroundOwner, owner.Uid);
            }

            NoteMissingOwners(current);
        }

        Publish(new StoredChange(current.ResourceVersion, WatchEventTypes.Modified, current, previous));
        return current;
    }

    private StoredObject CommitRemoved(StoredObject previous, JsonObject finalState)
    {
        var removed = Stamp(previous.Type, finalState);
        _index.Remove(previous);
        _objectsWithMissingOwners.Remove(previous.Uid);
        _removedInWrite[removed.Uid] = removed;
        Publish(new StoredChange(removed.ResourceVersion, WatchEventTypes.Deleted, removed, previous));

        // What the garbage collector and the namespace controller react to, handled once this DELETED is published.
        foreach (var dependent in _index.DependentsOf(previous.Uid))
        {
            Enqueue(PendingCheckKind.Dependent, dependent.Uid);
        }

        foreach (var owner in previous.Owners)
        {
            Enqueue(PendingCheckKind.ForegroundOwner, owner.Uid);
        }

        if (previous.Type.Namespaced)
        {
            Enqueue(PendingCheckKind.Namespace, previous.Key.Namespace);
        }

        return removed;
    }

    private bool IsReadyForRemoval(ResourceType type, JsonObject candidate)
    {
        var metadata = ObjectMetadata.Of(candidate);
        return metadata["deletionTimestamp"] is not null
            && ObjectMetadata.Finalizers(metadata).Count == 0
            && (type.Key != NamespacesKey || _index.CountInNamespace(ObjectMetadata.GetString(metadata, "name") ?? "") == 0);
    }

    private StoredObject Stamp(ResourceType type, JsonObject candidate)
    {
        ObjectMetadata.SetResourceVersion(candidate, ++_resourceVersion);
        return new StoredObject(type, candidate);
    }

    private void Publish(StoredChange change)
    {
        _history.Append(change);
        if (_watchesByType.TryGetValue(change.Current.Type.Key, out var watches))
        {
            foreach (var watch in watches)
            {
                watch.Deliver(change);
            }
        }

        if (Changed is not null)
        {
            _announcements.Add((change.Current.Type, change.EventType, change.Current.CloneObject()));
        }
    }

    private string Now() => ObjectMetadata.Timestamp(_time.GetUtcNow());
}
