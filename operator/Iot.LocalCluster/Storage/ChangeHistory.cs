namespace Iot.LocalCluster.Storage;

/// <summary>
/// The most recent changes, for watches that resume from a resourceVersion. Every resourceVersion is one change, so the
/// history is complete after <see cref="CompactedResourceVersion"/>.
/// </summary>
internal sealed class ChangeHistory(int capacity)
{
    private readonly Queue<StoredChange> _changes = new();

    /// <summary>The newest resourceVersion no longer retained; watches must start at or after it.</summary>
    public long CompactedResourceVersion { get; private set; }

    public void Append(StoredChange change)
    {
        _changes.Enqueue(change);
        while (_changes.Count > capacity)
        {
            CompactedResourceVersion = _changes.Dequeue().ResourceVersion;
        }
    }

    public IEnumerable<StoredChange> After(long resourceVersion) => _changes.Where(c => c.ResourceVersion > resourceVersion);
}
