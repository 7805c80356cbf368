namespace Iot.LocalCluster.Storage;

/// <summary>What happens to an object's dependents (objects that name it in metadata.ownerReferences) when it is deleted.</summary>
public enum PropagationPolicy
{
    /// <summary>Delete the owner now; the garbage collector then deletes dependents whose owners are all gone.</summary>
    Background,

    /// <summary>Keep the owner (finalizer <c>foregroundDeletion</c>) until its blocking dependents are gone.</summary>
    Foreground,

    /// <summary>Remove the owner's reference from its dependents, which stay.</summary>
    Orphan,
}
