namespace Iot.LocalCluster.Storage;

/// <summary>The parts of a metadata.ownerReferences entry the garbage collector needs.</summary>
internal sealed record OwnerReference(string Uid, bool BlockOwnerDeletion);
