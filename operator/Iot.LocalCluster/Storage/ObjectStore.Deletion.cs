using System.Globalization;
using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

// Deletion: finalizers, propagation policies and namespace termination.
public sealed partial class ObjectStore
{
    /// <summary>
    /// Deletes an object, or marks it for deletion (deletionTimestamp) when finalizers hold it, and returns it as removed
    /// or as marked. Dependents are handled as <paramref name="options"/> says, synchronously after the owner's event.
    /// </summary>
    public JsonObject Delete(ResourceType type, string? ns, string name, DeleteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(options);
        return Write(() =>
        {
            var target = _index.Find(type.Key, KeyOf(type, ns, name)) ?? throw ApiException.NotFound(type, name);
            CheckPreconditions(target, options);
            var result = DeleteObject(target, options.Propagation);
            Settle(afterDelete: true);
            return Latest(result).CloneObject();
        });
    }

    /// <summary>
    /// Deletes every object the selectors match (limit and continue are ignored; preconditions are not applied per
    /// object), returning each as removed or as marked for deletion.
    /// </summary>
    public IReadOnlyList<JsonObject> DeleteCollection(ResourceType type, string? ns, ListOptions selection, DeleteOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(selection);
        ArgumentNullException.ThrowIfNull(options);
        var filter = ObjectFilter.Parse(type, ns, selection.LabelSelector, selection.FieldSelector);
        return Write(() =>
        {
            var results = new List<StoredObject>();
            foreach (var target in _index.OfType(type.Key).Where(filter.Matches).ToList())
            {
                // Orphaning an earlier target may have changed this one.
                if (_index.FindByUid(target.Uid) is { } current)
                {
                    results.Add(DeleteObject(current, options.Propagation));
                }
            }

            Settle(afterDelete: true);
            return (IReadOnlyList<JsonObject>)results.Select(r => Latest(r).CloneObject()).ToList();
        });
    }

    private static void CheckPreconditions(StoredObject target, DeleteOptions options)
    {
        var name = target.Key.Name;
        if (!string.IsNullOrEmpty(options.PreconditionUid) && options.PreconditionUid != target.Uid)
        {
            throw ApiException.Conflict(target.Type, name, $"Precondition failed: UID in precondition: {options.PreconditionUid}, UID in object meta: {target.Uid}");
        }

        var version = target.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (!string.IsNullOrEmpty(options.PreconditionResourceVersion) && options.PreconditionResourceVersion != version)
        {
            throw ApiException.Conflict(target.Type, name, $"Precondition failed: ResourceVersion in precondition: {options.PreconditionResourceVersion}, ResourceVersion in object meta: {version}");
        }
    }

    /// <summary>The object as it is now, or as it was removed during this write.</summary>
    private StoredObject Latest(StoredObject obj) =>
        _index.FindByUid(obj.Uid) ?? _removedInWrite.GetValueOrDefault(obj.Uid) ?? obj;

    private StoredObject DeleteObject(StoredObject target, PropagationPolicy propagation)
    {
        if (target.IsDeleting)
        {
            return target;
        }

        if (target.IsNamespace)
        {
            return TerminateNamespace(target);
        }

        // The orphan and foregroundDeletion finalizers are how the real server records these policies; honour them
        // when a client set them itself.
        var finalizers = target.Finalizers.ToList();
        var orphanRequested = finalizers.Remove(ObjectMetadata.OrphanFinalizer);
        if (propagation == PropagationPolicy.Orphan || orphanRequested)
        {
            OrphanDependents(target);
        }

        var foreground = propagation == PropagationPolicy.Foreground || finalizers.Contains(ObjectMetadata.ForegroundDeletionFinalizer);
        if (foreground && !finalizers.Contains(ObjectMetadata.ForegroundDeletionFinalizer))
        {
            finalizers.Add(ObjectMetadata.ForegroundDeletionFinalizer);
        }

        if (finalizers.Count == 0)
        {
            var finalState = target.CloneObject();
            ObjectMetadata.SetFinalizers(finalState, finalizers);
            return CommitRemoved(target, finalState);
        }

        var marked = CommitModified(target, MarkedForDeletion(target, finalizers));
        if (foreground)
        {
            foreach (var dependent in _index.DependentsOf(marked.Uid))
            {
                Enqueue(PendingCheckKind.Dependent, dependent.Uid);
            }

            Enqueue(PendingCheckKind.ForegroundOwner, marked.Uid);
        }

        return marked;
    }

    /// <summary>The object with deletionTimestamp now, a zero grace period and the given finalizers.</summary>
    private JsonObject MarkedForDeletion(StoredObject target, IEnumerable<string> finalizers)
    {
        var candidate = target.CloneObject();
        var metadata = ObjectMetadata.Of(candidate);
        metadata["deletionTimestamp"] = Now();
        metadata["deletionGracePeriodSeconds"] = 0L;
        // The real server bumps generation when it marks an object for deletion, so controllers notice.
        metadata["generation"] = target.Generation + 1;
        ObjectMetadata.SetFinalizers(candidate, finalizers);
        return candidate;
    }

    private void OrphanDependents(StoredObject owner)
    {
        foreach (var dependent in _index.DependentsOf(owner.Uid))
        {
            var candidate = dependent.CloneObject();
            ObjectMetadata.RemoveOwnerReferences(candidate, uid => uid == owner.Uid);
            CommitModified(dependent, candidate);
        }
    }

    /// <summary>
    /// Marks the namespace Terminating and deletes everything in it (finalizers may hold some objects); the namespace goes
    /// when it is empty and its own finalizers are gone.
    /// </summary>
    private StoredObject TerminateNamespace(StoredObject ns)
    {
        var candidate = MarkedForDeletion(ns, ns.Finalizers);
        if (candidate["status"] is not JsonObject status)
        {
            status = [];
            candidate["status"] = status;
        }

        status["phase"] = "Terminating";
        var terminating = CommitModified(ns, candidate);
        if (_namespaceCleanupDelay > TimeSpan.Zero)
        {
            ITimer? timer = null;
            timer = _time.CreateTimer(_ => { timer?.Dispose(); CleanUpNamespace(ns.Key.Name); }, null, _namespaceCleanupDelay, Timeout.InfiniteTimeSpan);
            return terminating;
        }

        DeleteNamespaceContents(ns.Key.Name);
        return terminating;
    }

    /// <summary>The namespace controller's work: deletes what a Terminating namespace holds; the namespace goes once it is empty.</summary>
    internal void CleanUpNamespace(string name) => Write(() =>
    {
        DeleteNamespaceContents(name);
        Settle(afterDelete: true);
        return 0;
    });

    private void DeleteNamespaceContents(string name)
    {
        foreach (var member in _index.InNamespace(name).ToList())
        {
            if (_index.FindByUid(member.Uid) is { } current)
            {
                DeleteObject(current, PropagationPolicy.Background);
            }
        }

        Enqueue(PendingCheckKind.Namespace, name);
    }
}
