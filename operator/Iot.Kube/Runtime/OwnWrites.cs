using System.Collections.Concurrent;

using k8s;
using k8s.Models;

namespace Iot.Kube;

/// <summary>
/// The objects a controller wrote itself, read in place of an informer's copy until the informer has caught up. A
/// reconcile that runs again before the watch event of its own last write arrives would otherwise compute from a stale
/// object and send the same write twice (or create what it just created). A record holds the resourceVersion the write
/// was based on (null for a create): while the cache still shows exactly that version, the written object is newer;
/// any other version in the cache (ours or someone else's later change) means the cache has moved on and wins.
/// </summary>
public sealed class OwnWrites<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly ConcurrentDictionary<string, (string? BasedOn, T Written)> writes = new(StringComparer.Ordinal);

    /// <summary>Records that <paramref name="written"/> (the server's answer) replaced the version <paramref name="basedOn"/> (null: it was created).</summary>
    public void Record(string key, string? basedOn, T written) => writes[key] = (basedOn, written);

    /// <summary>Forgets <paramref name="key"/> (the object is gone).</summary>
    public void Forget(string key) => writes.TryRemove(key, out _);

    /// <summary>The freshest known state of <paramref name="key"/>: our own write while <paramref name="cached"/> predates it, else <paramref name="cached"/>.</summary>
    public T? Read(string key, T? cached)
    {
        if (!writes.TryGetValue(key, out var write))
        {
            return cached;
        }

        if (string.Equals(cached?.Metadata?.ResourceVersion, write.BasedOn, StringComparison.Ordinal))
        {
            return write.Written;
        }

        writes.TryRemove(KeyValuePair.Create(key, write));
        return cached;
    }
}
