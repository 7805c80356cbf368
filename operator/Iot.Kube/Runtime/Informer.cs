using k8s;
using k8s.Models;

using Microsoft.Extensions.Logging;

namespace Iot.Kube;

/// <summary>Callbacks for informer events. The objects are the cache's own instances: handlers must not mutate them.</summary>
public sealed record ResourceEventHandler<T>
{
    /// <summary>An object appeared (created, or first seen in a LIST).</summary>
    public Action<T>? OnAdd { get; init; }

    /// <summary>An object changed: old and new state.</summary>
    public Action<T, T>? OnUpdate { get; init; }

    /// <summary>An object is gone (deleted, or found missing by a relist): its last known state.</summary>
    public Action<T>? OnDelete { get; init; }

    /// <summary>Filters; an event reaches the handler only if all of them let it through.</summary>
    public IReadOnlyList<EventPredicate<T>> Predicates { get; init; } = [];
}

/// <summary>
/// A thread-safe cache of one kind, kept current by a <see cref="Reflector{T}"/>, keyed "namespace/name" (or "name" for
/// cluster-scoped kinds), with event handlers. <see cref="Get(string)"/> and <see cref="List"/> return deep copies, which callers
/// may change freely; handlers receive the cache's own (never mutated, replaced on change) instances and must not change them.
/// </summary>
public sealed class Informer<T> : IReflectorStore<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly Lock gate = new();
    private readonly Lock dispatch = new();
    private readonly Dictionary<string, T> items = new(StringComparer.Ordinal);
    private readonly List<ResourceEventHandler<T>> handlers = [];
    private readonly ReflectorOptions options;
    private Task? run;

    /// <summary>An informer of <paramref name="client"/>'s kind; call <see cref="RunAsync"/> to fill it.</summary>
    public Informer(ResourceClient<T> client, ReflectorOptions? options = null)
    {
        this.options = options ?? new ReflectorOptions();
        Client = client;
        Reflector = new Reflector<T>(client, this, this.options);
    }

    /// <summary>The client the informer lists and watches with.</summary>
    public ResourceClient<T> Client { get; }

    /// <summary>The reflector feeding the cache (metrics: watch restarts, relists).</summary>
    public Reflector<T> Reflector { get; }

    /// <summary>True once the first LIST is in the cache.</summary>
    public bool HasSynced => Reflector.HasSynced;

    /// <summary>False while the watch is down (between a drop or error and the next watch).</summary>
    public bool WatchAlive => Reflector.WatchAlive;

    /// <summary>How many objects the cache holds.</summary>
    public int Count
    {
        get
        {
            lock (gate)
            {
                return items.Count;
            }
        }
    }

    /// <summary>Registers handlers; register before <see cref="RunAsync"/> to see the initial LIST as adds.</summary>
    public void AddEventHandler(ResourceEventHandler<T> handler)
    {
        lock (dispatch)
        {
            handlers.Add(handler);
        }
    }

    /// <summary>A deep copy of the cached object with this key, or null.</summary>
    public T? Get(string key)
    {
        T? found;
        lock (gate)
        {
            items.TryGetValue(key, out found);
        }

        return found is null ? null : ResourceClient<T>.DeepCopy(found);
    }

    /// <summary>A deep copy of the cached object, or null.</summary>
    public T? Get(string? ns, string name) => Get(ResourceClient<T>.KeyOf(ns, name));

    /// <summary>Deep copies of the cached objects (optionally of one namespace), ordered by key.</summary>
    /// <summary>
    /// How many cached objects (of namespace <paramref name="ns"/>, or all) satisfy <paramref name="predicate"/>; reads the
    /// cache without copying, so <paramref name="predicate"/> must only read.
    /// </summary>
    public int CountWhere(string? ns, Func<T, bool> predicate)
    {
        lock (gate)
        {
            return items.Values.Count(i => (ns is null || i.Metadata?.NamespaceProperty == ns) && predicate(i));
        }
    }

    public IReadOnlyList<T> List(string? ns = null)
    {
        List<T> snapshot;
        lock (gate)
        {
            snapshot = [.. items.Where(i => ns is null || i.Value.Metadata?.NamespaceProperty == ns).OrderBy(i => i.Key, StringComparer.Ordinal).Select(i => i.Value)];
        }

        return [.. snapshot.Select(ResourceClient<T>.DeepCopy)];
    }

    /// <summary>The keys in the cache.</summary>
    public IReadOnlyList<string> Keys()
    {
        lock (gate)
        {
            return [.. items.Keys.Order(StringComparer.Ordinal)];
        }
    }

    /// <summary>
    /// Lists and watches until cancelled. An informer shared by several controllers runs once: later calls return the
    /// running task (the first caller's token stops it).
    /// </summary>
    public Task RunAsync(CancellationToken cancellationToken)
    {
        lock (gate)
        {
            return run ??= Reflector.RunAsync(cancellationToken);
        }
    }

    /// <summary>Waits until the first LIST is in the cache.</summary>
    public Task WaitForSyncAsync(CancellationToken cancellationToken) => Reflector.Synced.WaitAsync(cancellationToken);

    void IReflectorStore<T>.Replace(IReadOnlyList<T> list)
    {
        var fresh = new Dictionary<string, T>(StringComparer.Ordinal);
        foreach (var item in list)
        {
            fresh[ResourceClient<T>.KeyOf(item)] = item;
        }

        var events = new List<(T? Old, T? New)>();
        lock (dispatch)
        {
            lock (gate)
            {
                foreach (var (key, old) in items)
                {
                    if (!fresh.ContainsKey(key))
                    {
                        events.Add((old, null));
                    }
                }

                foreach (var (key, item) in fresh)
                {
                    if (!items.TryGetValue(key, out var old))
                    {
                        events.Add((null, item));
                    }
                    else if (old.Metadata?.ResourceVersion != item.Metadata?.ResourceVersion || old.Metadata?.Uid != item.Metadata?.Uid)
                    {
                        events.Add((old, item));
                    }
                }

                items.Clear();
                foreach (var (key, item) in fresh)
                {
                    items[key] = item;
                }
            }

            foreach (var (old, @new) in events)
            {
                Dispatch(old, @new);
            }
        }
    }

    void IReflectorStore<T>.Upsert(T obj)
    {
        lock (dispatch)
        {
            T? old;
            lock (gate)
            {
                var key = ResourceClient<T>.KeyOf(obj);
                items.TryGetValue(key, out old);
                items[key] = obj;
            }

            Dispatch(old, obj);
        }
    }

    void IReflectorStore<T>.Delete(T obj)
    {
        lock (dispatch)
        {
            T? old;
            lock (gate)
            {
                items.Remove(ResourceClient<T>.KeyOf(obj), out old);
            }

            Dispatch(old ?? obj, null);
        }
    }

    // Called under the dispatch lock: handlers see events one at a time, in order.
    private void Dispatch(T? old, T? @new)
    {
        foreach (var handler in handlers)
        {
            try
            {
                switch (old, @new)
                {
                    case (null, { } added) when handler.Predicates.All(p => p.Create?.Invoke(added) ?? true):
                        handler.OnAdd?.Invoke(added);
                        break;
                    case ({ } before, { } after) when handler.Predicates.All(p => p.Update?.Invoke(before, after) ?? true):
                        handler.OnUpdate?.Invoke(before, after);
                        break;
                    case ({ } deleted, null) when handler.Predicates.All(p => p.Delete?.Invoke(deleted) ?? true):
                        handler.OnDelete?.Invoke(deleted);
                        break;
                }
            }
            catch (Exception e)
            {
                options.Logger.LogError(e, "An event handler of {Resource} failed", Client.Resource.Plural);
            }
        }
    }
}
