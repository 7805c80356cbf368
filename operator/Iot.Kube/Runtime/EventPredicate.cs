using k8s;
using k8s.Models;

namespace Iot.Kube;

/// <summary>A filter of informer events; an event reaches a handler only if every predicate of the handler lets it through.</summary>
public sealed record EventPredicate<T>
{
    /// <summary>Filters adds (null lets every add through).</summary>
    public Func<T, bool>? Create { get; init; }

    /// <summary>Filters updates, given the old and the new object (null lets every update through).</summary>
    public Func<T, T, bool>? Update { get; init; }

    /// <summary>Filters deletes (null lets every delete through).</summary>
    public Func<T, bool>? Delete { get; init; }
}

/// <summary>Common predicates, after controller-runtime's.</summary>
public static class EventPredicates
{
    /// <summary>
    /// Lets updates through only when metadata.generation changed, so status-only updates are ignored (for kinds without
    /// a generation, when the resourceVersion changed). Adds and deletes pass.
    /// </summary>
    public static EventPredicate<T> GenerationChanged<T>()
        where T : IKubernetesObject<V1ObjectMeta> => new()
        {
            Update = static (old, @new) => old.Metadata?.Generation is null || @new.Metadata?.Generation is null
                ? old.Metadata?.ResourceVersion != @new.Metadata?.ResourceVersion
                : old.Metadata.Generation != @new.Metadata.Generation,
        };

    /// <summary>
    /// Drops updates that change only the status (and bookkeeping such as resourceVersion and managedFields): updates pass
    /// when the generation, labels, annotations, finalizers, ownerReferences or deletionTimestamp changed. For a status
    /// subresource's kinds this is "someone changed what the object asks for", including annotation requests.
    /// </summary>
    public static EventPredicate<T> NotStatusOnly<T>()
        where T : IKubernetesObject<V1ObjectMeta> => new()
        {
            Update = static (old, @new) => old.Metadata is not { } before || @new.Metadata is not { } after
                || before.Generation != after.Generation
                || before.DeletionTimestamp != after.DeletionTimestamp
                || !SameMap(before.Labels, after.Labels)
                || !SameMap(before.Annotations, after.Annotations)
                || !(before.Finalizers ?? []).SequenceEqual(after.Finalizers ?? [])
                || !(before.OwnerReferences ?? []).Select(r => r.Uid).SequenceEqual((after.OwnerReferences ?? []).Select(r => r.Uid)),
        };

    /// <summary>Lets updates through only when the resourceVersion changed (drops relist no-ops).</summary>
    public static EventPredicate<T> ResourceVersionChanged<T>()
        where T : IKubernetesObject<V1ObjectMeta> => new()
        {
            Update = static (old, @new) => old.Metadata?.ResourceVersion != @new.Metadata?.ResourceVersion,
        };

    /// <summary>Lets through only objects whose labels include all of <paramref name="matchLabels"/> (updates: old or new).</summary>
    public static EventPredicate<T> Labels<T>(IReadOnlyDictionary<string, string> matchLabels)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        bool Matches(T obj) => matchLabels.All(l => obj.Metadata?.Labels is { } labels && labels.TryGetValue(l.Key, out var v) && v == l.Value);
        return new EventPredicate<T> { Create = Matches, Update = (old, @new) => Matches(old) || Matches(@new), Delete = Matches };
    }

    private static bool SameMap(IDictionary<string, string>? a, IDictionary<string, string>? b) =>
        (a?.Count ?? 0) == (b?.Count ?? 0) && (a is null || a.All(p => b!.TryGetValue(p.Key, out var v) && v == p.Value));
}
