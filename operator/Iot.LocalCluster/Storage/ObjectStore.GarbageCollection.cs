namespace Iot.LocalCluster.Storage;

// The garbage collector and namespace controller, run synchronously after each write so that results are deterministic.
public sealed partial class ObjectStore
{
    private static readonly TimeSpan OrphanSweepDelay = TimeSpan.FromMilliseconds(100);
    private readonly Queue<(PendingCheckKind Kind, string Target)> _pendingChecks = new();

    // Objects committed with an ownerReference to a uid that does not exist; the sweep after each delete collects them.
    private readonly HashSet<string> _objectsWithMissingOwners = new(StringComparer.Ordinal);

    private enum PendingCheckKind
    {
        /// <summary>Target is a uid: collect the object if none of its owners remain.</summary>
        Dependent,

        /// <summary>Target is a uid: finish its foreground deletion if no blocking dependents remain.</summary>
        ForegroundOwner,

        /// <summary>Target is a namespace name: remove it if it is terminating and empty.</summary>
        Namespace,
    }

    /// <summary>Sweeps every object: collects those whose owners are all gone and finishes foreground and namespace deletions.</summary>
    internal void CollectGarbage() => Write(() =>
    {
        foreach (var obj in _index.All().OrderBy(o => o.Type.Key, StringComparer.Ordinal).ThenBy(o => o.Key).ToList())
        {
            if (obj.Owners.Count > 0)
            {
                Enqueue(PendingCheckKind.Dependent, obj.Uid);
            }

            if (obj.IsDeleting && obj.HasFinalizer(ObjectMetadata.ForegroundDeletionFinalizer))
            {
                Enqueue(PendingCheckKind.ForegroundOwner, obj.Uid);
            }

            if (obj.IsDeleting && obj.IsNamespace)
            {
                Enqueue(PendingCheckKind.Namespace, obj.Key.Name);
            }
        }

        _objectsWithMissingOwners.Clear();
        RunPendingChecks();
        return true;
    });

    private void Enqueue(PendingCheckKind kind, string target) => _pendingChecks.Enqueue((kind, target));

    /// <summary>
    /// Runs the reactions this write triggered. After deletes it also sweeps objects whose owners never existed — the
    /// incremental equivalent of <see cref="CollectGarbage"/>: other garbage only arises when an owner is removed, and
    /// that removal checks its dependents.
    /// </summary>
    private void Settle(bool afterDelete)
    {
        RunPendingChecks();
        if (!afterDelete && _removedInWrite.Count == 0 && _objectsWithMissingOwners.Count > 0 && _namespaceCleanupDelay > TimeSpan.Zero)
        {
            // Like the real garbage collector, which notices a dependent of a missing owner shortly after its creation
            // (a controller acting on a stale cache can create one just after the owner was deleted).
            ITimer? timer = null;
            timer = _time.CreateTimer(_ => { timer?.Dispose(); Write(() => { Settle(afterDelete: true); return true; }); }, null, OrphanSweepDelay, Timeout.InfiniteTimeSpan);
            return;
        }

        if ((afterDelete || _removedInWrite.Count > 0) && _objectsWithMissingOwners.Count > 0)
        {
            var candidates = _objectsWithMissingOwners.Select(_index.FindByUid).OfType<StoredObject>()
                .OrderBy(o => o.Type.Key, StringComparer.Ordinal).ThenBy(o => o.Key).ToList();
            _objectsWithMissingOwners.Clear();
            foreach (var candidate in candidates)
            {
                Enqueue(PendingCheckKind.Dependent, candidate.Uid);
            }

            RunPendingChecks();
        }
    }

    private void RunPendingChecks()
    {
        while (_pendingChecks.TryDequeue(out var check))
        {
            switch (check.Kind)
            {
                case PendingCheckKind.Dependent:
                    CollectIfOwnerless(check.Target);
                    break;
                case PendingCheckKind.ForegroundOwner:
                    FinishForegroundDeletion(check.Target);
                    break;
                case PendingCheckKind.Namespace:
                    RemoveNamespaceIfEmpty(check.Target);
                    break;
            }
        }
    }

    private void NoteMissingOwners(StoredObject obj)
    {
        if (obj.Owners.Any(owner => _index.FindByUid(owner.Uid) is null))
        {
            _objectsWithMissingOwners.Add(obj.Uid);
        }
    }

    /// <summary>
    /// The real garbage collector's attemptToDeleteItem: an object that still has a live owner only loses its references
    /// to owners that are gone or being deleted in the foreground; one without is deleted (in the foreground when an
    /// owner is, and it has dependents of its own).
    /// </summary>
    private void CollectIfOwnerless(string uid)
    {
        var item = _index.FindByUid(uid);
        if (item is null || item.Owners.Count == 0)
        {
            return;
        }

        if (item.IsDeleting)
        {
            if (item.HasFinalizer(ObjectMetadata.ForegroundDeletionFinalizer))
            {
                Enqueue(PendingCheckKind.ForegroundOwner, uid);
            }

            return;
        }

        var hasLiveOwner = false;
        var ownerWaitsForDependents = false;
        var goneOrGoing = new HashSet<string>(StringComparer.Ordinal);
        foreach (var reference in item.Owners)
        {
            var owner = _index.FindByUid(reference.Uid);
            if (owner is null)
            {
                goneOrGoing.Add(reference.Uid);
            }
            else if (owner.IsDeleting && owner.HasFinalizer(ObjectMetadata.ForegroundDeletionFinalizer))
            {
                goneOrGoing.Add(reference.Uid);
                ownerWaitsForDependents = true;
            }
            else
            {
                hasLiveOwner = true;
            }
        }

        if (hasLiveOwner)
        {
            if (goneOrGoing.Count > 0)
            {
                var candidate = item.CloneObject();
                ObjectMetadata.RemoveOwnerReferences(candidate, goneOrGoing.Contains);
                CommitModified(item, candidate);
            }

            return;
        }

        var foreground = ownerWaitsForDependents && _index.DependentsOf(uid).Count > 0;
        DeleteObject(item, foreground ? PropagationPolicy.Foreground : PropagationPolicy.Background);
    }

    /// <summary>Removes the foregroundDeletion finalizer once no dependent with blockOwnerDeletion remains.</summary>
    private void FinishForegroundDeletion(string uid)
    {
        var owner = _index.FindByUid(uid);
        if (owner is null || !owner.IsDeleting || !owner.HasFinalizer(ObjectMetadata.ForegroundDeletionFinalizer))
        {
            return;
        }

        var blocking = _index.DependentsOf(uid).Where(d => d.Owners.Any(r => r.Uid == uid && r.BlockOwnerDeletion)).ToList();
        if (blocking.Count > 0)
        {
            foreach (var dependent in blocking.Where(d => !d.IsDeleting))
            {
                Enqueue(PendingCheckKind.Dependent, dependent.Uid);
            }

            return;
        }

        var candidate = owner.CloneObject();
        ObjectMetadata.SetFinalizers(candidate, owner.Finalizers.Where(f => f != ObjectMetadata.ForegroundDeletionFinalizer));
        CommitUpdate(owner, candidate);
    }

    private void RemoveNamespaceIfEmpty(string name)
    {
        var ns = _index.Find(NamespacesKey, new ObjectKey("", name));
        if (ns is not null && ns.IsDeleting && ns.Finalizers.Count == 0 && _index.CountInNamespace(name) == 0)
        {
            CommitRemoved(ns, ns.CloneObject());
        }
    }
}
