namespace Iot.LocalCluster.Storage;

/// <summary>
/// The committed objects, indexed for the store's queries: by kind (sorted by namespace and name, so lists cost the
/// objects of one kind), by uid, by owner uid (the garbage collector's dependents), and counted per namespace.
/// </summary>
internal sealed class ObjectIndex
{
    private readonly Dictionary<string, SortedDictionary<ObjectKey, StoredObject>> _byType = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredObject> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependentUidsByOwnerUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _countByNamespace = new(StringComparer.Ordinal);

    public StoredObject? Find(string typeKey, ObjectKey key) =>
        _byType.TryGetValue(typeKey, out var objects) && objects.TryGetValue(key, out var found) ? found : null;

    public StoredObject? FindByUid(string uid) => _byUid.GetValueOrDefault(uid);

    /// <summary>The objects of one kind, by namespace then name.</summary>
    public IEnumerable<StoredObject> OfType(string typeKey) =>
        _byType.TryGetValue(typeKey, out var objects) ? objects.Values : [];

    /// <summary>Every object in a namespace, kind by kind (ordered by type key), then by name.</summary>
    public IEnumerable<StoredObject> InNamespace(string ns) =>
        _byType.OrderBy(kind => kind.Key, StringComparer.Ordinal)
            .SelectMany(kind => kind.Value.Values)
            .Where(o => o.Type.Namespaced && o.Key.Namespace == ns);

    public int CountInNamespace(string ns) => _countByNamespace.GetValueOrDefault(ns);

    /// <summary>Objects whose ownerReferences name the uid, in a stable order (kind, namespace, name).</summary>
    public IReadOnlyList<StoredObject> DependentsOf(string ownerUid) =>
        _dependentUidsByOwnerUid.TryGetValue(ownerUid, out var uids)
            ? uids.Select(uid => _byUid[uid]).OrderBy(o => o.Type.Key, StringComparer.Ordinal).ThenBy(o => o.Key).ToList()
            : [];

    public IEnumerable<StoredObject> WithOwners() => _byUid.Values.Where(o => o.Owners.Count > 0);

    public IEnumerable<StoredObject> All() => _byUid.Values;

    public void Add(StoredObject obj)
    {
        if (!_byType.TryGetValue(obj.Type.Key, out var objects))
        {
            objects = [];
            _byType.Add(obj.Type.Key, objects);
        }

        objects.Add(obj.Key, obj);
        _byUid.Add(obj.Uid, obj);
        IndexOwners(obj);
        if (obj.Type.Namespaced)
        {
            _countByNamespace[obj.Key.Namespace] = CountInNamespace(obj.Key.Namespace) + 1;
        }
    }

    public void Replace(StoredObject previous, StoredObject current)
    {
        _byType[current.Type.Key][current.Key] = current;
        _byUid[current.Uid] = current;
        UnindexOwners(previous);
        IndexOwners(current);
    }

    public void Remove(StoredObject obj)
    {
        _byType[obj.Type.Key].Remove(obj.Key);
        _byUid.Remove(obj.Uid);
        UnindexOwners(obj);
        if (obj.Type.Namespaced)
        {
            var remaining = CountInNamespace(obj.Key.Namespace) - 1;
            if (remaining == 0)
            {
                _countByNamespace.Remove(obj.Key.Namespace);
            }
            else
            {
                _countByNamespace[obj.Key.Namespace] = remaining;
            }
        }
    }

    private void IndexOwners(StoredObject obj)
    {
        foreach (var owner in obj.Owners)
        {
            if (!_dependentUidsByOwnerUid.TryGetValue(owner.Uid, out var dependents))
            {
                dependents = new HashSet<string>(StringComparer.Ordinal);
                _dependentUidsByOwnerUid.Add(owner.Uid, dependents);
            }

            dependents.Add(obj.Uid);
        }
    }

    private void UnindexOwners(StoredObject obj)
    {
        foreach (var owner in obj.Owners)
        {
            if (_dependentUidsByOwnerUid.TryGetValue(owner.Uid, out var dependents) && dependents.Remove(obj.Uid) && dependents.Count == 0)
            {
                _dependentUidsByOwnerUid.Remove(owner.Uid);
            }
        }
    }
}
