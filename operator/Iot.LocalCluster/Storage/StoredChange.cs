namespace Iot.LocalCluster.Storage;

/// <summary>
/// One committed change, as kept for watch replay: the event type, the object after the change (for DELETED, its final
/// state at the deletion's resourceVersion) and the version it replaced, which selector transitions are judged against.
/// </summary>
internal sealed record StoredChange(long ResourceVersion, string EventType, StoredObject Current, StoredObject? Previous);
