using System.Net;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;

using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Iot.Kube;

/// <summary>One page of a LIST: the items and the list's resourceVersion (to watch from) and continue token.</summary>
public sealed record ResourceList<T>(IReadOnlyList<T> Items, string ResourceVersion, string? Continue);

/// <summary>The kind of a watch event.</summary>
public enum ResourceEventType
{
    /// <summary>An object was created (or first seen).</summary>
    Added,

    /// <summary>An object changed.</summary>
    Modified,

    /// <summary>An object was deleted; the event carries its last state.</summary>
    Deleted,

    /// <summary>No change; the event's object carries only a newer resourceVersion to resume from.</summary>
    Bookmark,

    /// <summary>The server reported an error (e.g. 410 Gone for an expired resourceVersion); the watch ends.</summary>
    Error,
}

/// <summary>One event of a watch. <see cref="Object"/> is null for errors, which carry <see cref="Status"/> or <see cref="Exception"/>.</summary>
public sealed record ResourceWatchEvent<T>(ResourceEventType Type, T? Object, V1Status? Status = null, Exception? Exception = null)
{
    /// <summary>The HTTP status code of an error event (410 for an expired resourceVersion), if the server sent one.</summary>
    public int? Code => Status?.Code;
}

/// <summary>
/// Typed access to one kind, core or custom, over KubernetesClient's generic (custom object) operations. Changes are
/// made by PATCH only; there is deliberately no full-object PUT, so concurrent writers' fields are not clobbered.
/// </summary>
public sealed class ResourceClient<T>
    where T : class, IKubernetesObject<V1ObjectMeta>
{
    private readonly IKubernetes client;
    private readonly string? apiVersion;
    private readonly string? kind;

    /// <summary>A client for <paramref name="resource"/> (group "" is the core group, served under /api/v1).</summary>
    public ResourceClient(IKubernetes client, KubeResource resource)
    {
        this.client = client;
        Resource = resource;
        if (typeof(T).GetCustomAttribute<KubernetesEntityAttribute>() is { } entity)
        {
            apiVersion = entity.Group.Length == 0 ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
            kind = entity.Kind;
        }
    }

    /// <summary>The resource this client addresses.</summary>
    public KubeResource Resource { get; }

    private string Group => Resource.Group;

    private string Version => Resource.Version;

    private string Plural => Resource.Plural;

    /// <summary>The informer/cache key of an object: "namespace/name", or "name" when it has no namespace.</summary>
    public static string KeyOf(T obj) => KeyOf(obj.Metadata?.NamespaceProperty, obj.Metadata?.Name ?? "");

    /// <summary>The key of a name in a namespace: "namespace/name", or "name" when <paramref name="ns"/> is empty.</summary>
    public static string KeyOf(string? ns, string name) => string.IsNullOrEmpty(ns) ? name : $"{ns}/{name}";

    /// <summary>Splits a key into namespace (null for cluster-scoped) and name.</summary>
    public static (string? Namespace, string Name) SplitKey(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? (null, key) : (key[..slash], key[(slash + 1)..]);
    }

    /// <summary>One page of a LIST, in a namespace or (null) across all namespaces.</summary>
    public async Task<ResourceList<T>> ListAsync(
        string? ns = null, string? labelSelector = null, string? resourceVersion = null, int? limit = null, string? continueToken = null,
        CancellationToken cancellationToken = default)
    {
        var response = ScopeNamespace(ns) is { } n
            ? await client.CustomObjects.ListNamespacedCustomObjectWithHttpMessagesAsync(
                Group, Version, n, Plural, continueParameter: continueToken, labelSelector: labelSelector, limit: limit,
                resourceVersion: resourceVersion, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CustomObjects.ListClusterCustomObjectWithHttpMessagesAsync(
                Group, Version, Plural, continueParameter: continueToken, labelSelector: labelSelector, limit: limit,
                resourceVersion: resourceVersion, cancellationToken: cancellationToken).ConfigureAwait(false);
        using (response)
        {
            var list = Convert<WireList>(response.Body);
            return new ResourceList<T>(list.Items ?? [], list.Metadata?.ResourceVersion ?? "", string.IsNullOrEmpty(list.Metadata?.ContinueProperty) ? null : list.Metadata.ContinueProperty);
        }
    }

    /// <summary>Every item, following continue tokens page by page; the resourceVersion is the first page's (a consistent snapshot).</summary>
    public async Task<ResourceList<T>> ListAllAsync(string? ns = null, string? labelSelector = null, int pageSize = 500, CancellationToken cancellationToken = default)
    {
        var items = new List<T>();
        string? resourceVersion = null;
        string? next = null;
        do
        {
            var page = await ListAsync(ns, labelSelector, null, pageSize, next, cancellationToken).ConfigureAwait(false);
            items.AddRange(page.Items);
            resourceVersion ??= page.ResourceVersion;
            next = page.Continue;
        }
        while (next is not null);

        return new ResourceList<T>(items, resourceVersion, null);
    }

    /// <summary>
    /// Watches from <paramref name="resourceVersion"/> until the server ends the watch (after <paramref name="timeoutSeconds"/>,
    /// on an error event, or when the connection drops). Server errors, such as 410 Gone, are yielded as
    /// <see cref="ResourceEventType.Error"/> events, not thrown; transport failures are thrown.
    /// </summary>
    public async IAsyncEnumerable<ResourceWatchEvent<T>> WatchAsync(
        string? ns = null, string? resourceVersion = null, string? labelSelector = null, int? timeoutSeconds = null, bool allowWatchBookmarks = true,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var errors = new Queue<Exception>();
        void OnError(Exception e)
        {
            lock (errors)
            {
                errors.Enqueue(e);
            }
        }

        var events = ScopeNamespace(ns) is { } n
            ? client.CustomObjects.WatchListNamespacedCustomObjectAsync(
                Group, Version, n, Plural, allowWatchBookmarks: allowWatchBookmarks, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: OnError, cancellationToken: cancellationToken)
            : client.CustomObjects.WatchListClusterCustomObjectAsync(
                Group, Version, Plural, allowWatchBookmarks: allowWatchBookmarks, labelSelector: labelSelector,
                resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds, onError: OnError, cancellationToken: cancellationToken);

        await foreach (var (type, item) in events.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            foreach (var error in Drain(errors))
            {
                yield return error;
            }

            var mapped = type switch
            {
                WatchEventType.Added => ResourceEventType.Added,
                WatchEventType.Modified => ResourceEventType.Modified,
                WatchEventType.Deleted => ResourceEventType.Deleted,
                WatchEventType.Bookmark => ResourceEventType.Bookmark,
                _ => ResourceEventType.Error,
            };
            yield return mapped == ResourceEventType.Error
                ? new ResourceWatchEvent<T>(mapped, null, Status: TryConvert<V1Status>(item))
                : new ResourceWatchEvent<T>(mapped, Convert<T>(item));
        }

        foreach (var error in Drain(errors))
        {
            yield return error;
        }
    }

    /// <summary>The object, or null if it does not exist.</summary>
    public async Task<T?> GetAsync(string name, string? ns = null, CancellationToken cancellationToken = default)
    {
        try
        {
            var response = ScopeNamespace(ns) is { } n
                ? await client.CustomObjects.GetNamespacedCustomObjectWithHttpMessagesAsync(Group, Version, n, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.GetClusterCustomObjectWithHttpMessagesAsync(Group, Version, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
            using (response)
            {
                return Convert<T>(response.Body);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    /// <summary>Creates the object (in its metadata namespace); apiVersion and kind are filled in from [KubernetesEntity] when missing.</summary>
    public async Task<T> CreateAsync(T obj, CancellationToken cancellationToken = default)
    {
        obj.ApiVersion ??= apiVersion;
        obj.Kind ??= kind;
        var response = ScopeNamespace(obj.Metadata?.NamespaceProperty) is { } n
            ? await client.CustomObjects.CreateNamespacedCustomObjectWithHttpMessagesAsync(obj, Group, Version, n, Plural, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CustomObjects.CreateClusterCustomObjectWithHttpMessagesAsync(obj, Group, Version, Plural, cancellationToken: cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return Convert<T>(response.Body);
        }
    }

    /// <summary>Patches the object's spec/metadata (merge, strategic-merge or JSON patch, per <see cref="V1Patch.Type"/>).</summary>
    public async Task<T> PatchAsync(string name, string? ns, V1Patch patch, CancellationToken cancellationToken = default)
    {
        var response = ScopeNamespace(ns) is { } n
            ? await client.CustomObjects.PatchNamespacedCustomObjectWithHttpMessagesAsync(patch, Group, Version, n, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CustomObjects.PatchClusterCustomObjectWithHttpMessagesAsync(patch, Group, Version, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return Convert<T>(response.Body);
        }
    }

    /// <summary>Patches the status subresource.</summary>
    public async Task<T> PatchStatusAsync(string name, string? ns, V1Patch patch, CancellationToken cancellationToken = default)
    {
        var response = ScopeNamespace(ns) is { } n
            ? await client.CustomObjects.PatchNamespacedCustomObjectStatusWithHttpMessagesAsync(patch, Group, Version, n, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await client.CustomObjects.PatchClusterCustomObjectStatusWithHttpMessagesAsync(patch, Group, Version, Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        using (response)
        {
            return Convert<T>(response.Body);
        }
    }

    /// <summary>A JSON merge patch (RFC 7386) from an object or a JSON string.</summary>
    public Task<T> MergePatchAsync(string name, string? ns, object patch, CancellationToken cancellationToken = default) =>
        PatchAsync(name, ns, new V1Patch(patch, V1Patch.PatchType.MergePatch), cancellationToken);

    /// <summary>A JSON merge patch of the status subresource.</summary>
    public Task<T> MergePatchStatusAsync(string name, string? ns, object patch, CancellationToken cancellationToken = default) =>
        PatchStatusAsync(name, ns, new V1Patch(patch, V1Patch.PatchType.MergePatch), cancellationToken);

    /// <summary>Deletes the object; false if it did not exist. With <paramref name="preconditionUid"/>, only that incarnation is deleted.</summary>
    public async Task<bool> DeleteAsync(string name, string? ns = null, string? preconditionUid = null, CancellationToken cancellationToken = default)
    {
        var options = preconditionUid is null ? null : new V1DeleteOptions { Preconditions = new V1Preconditions { Uid = preconditionUid } };
        try
        {
            var response = ScopeNamespace(ns) is { } n
                ? await client.CustomObjects.DeleteNamespacedCustomObjectWithHttpMessagesAsync(Group, Version, n, Plural, name, body: options, cancellationToken: cancellationToken).ConfigureAwait(false)
                : await client.CustomObjects.DeleteClusterCustomObjectWithHttpMessagesAsync(Group, Version, Plural, name, body: options, cancellationToken: cancellationToken).ConfigureAwait(false);
            response.Dispose();
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
    }

    /// <summary>A deep copy of an object (JSON round trip).</summary>
    public static T DeepCopy(T obj) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    private string? ScopeNamespace(string? ns) => Resource.Namespaced && !string.IsNullOrEmpty(ns) ? ns : null;

    private static TResult Convert<TResult>(object? body) => body switch
    {
        TResult typed => typed,
        JsonElement element => KubernetesJson.Deserialize<TResult>(element.GetRawText()),
        null => throw new InvalidOperationException("The server returned no body"),
        _ => KubernetesJson.Deserialize<TResult>(KubernetesJson.Serialize(body)),
    };

    private static TResult? TryConvert<TResult>(object? body)
        where TResult : class
    {
        try
        {
            return body is null ? null : Convert<TResult>(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static List<ResourceWatchEvent<T>> Drain(Queue<Exception> errors)
    {
        lock (errors)
        {
            var drained = errors.Select(e => e is KubernetesException { Status: { } status }
                ? new ResourceWatchEvent<T>(ResourceEventType.Error, null, status, e)
                : new ResourceWatchEvent<T>(ResourceEventType.Error, null, null, e)).ToList();
            errors.Clear();
            return drained;
        }
    }

    private sealed class WireList
    {
        [JsonPropertyName("metadata")]
        public V1ListMeta? Metadata { get; set; }

        [JsonPropertyName("items")]
        public List<T>? Items { get; set; }
    }
}
