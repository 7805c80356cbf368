using System.Text.Json;
using System.Text.Json.Nodes;

using k8s;
using k8s.Models;

namespace Iot.Kube;

/// <summary>
/// Writes objects' status through their /status subresource with a JSON merge patch, computed against the status the
/// caller last saw. Sets status.observedGeneration to metadata.generation on every write, and sends nothing when the
/// new status equals the current one (deep JSON equality). Works for custom resources (any non-core API group).
/// </summary>
public sealed class StatusPatcher(IKubernetes client)
{
    /// <summary>
    /// Writes <paramref name="status"/> as the status of <paramref name="current"/> (a typed object, serialized with
    /// <see cref="KubernetesJson"/>), whose own status is what the patch is computed against.
    /// </summary>
    /// <returns>The object as the server stored it, or null when no request was sent (the status was already up to date).</returns>
    public async Task<TObject?> PatchAsync<TObject>(KubeResource resource, TObject current, object? status, CancellationToken cancellationToken = default)
        where TObject : class, IMetadata<V1ObjectMeta>
    {
        ArgumentNullException.ThrowIfNull(current);
        var currentJson = JsonNode.Parse(KubernetesJson.Serialize(current)) as JsonObject;
        var statusJson = status is null ? null : JsonNode.Parse(KubernetesJson.Serialize(status));
        var written = await SendAsync(
            resource,
            current.Metadata?.NamespaceProperty,
            current.Metadata?.Name ?? throw new ArgumentException("The object has no metadata.name.", nameof(current)),
            current.Metadata.Generation,
            currentJson?["status"],
            statusJson,
            cancellationToken).ConfigureAwait(false);
        return written is JsonElement body ? KubernetesJson.Deserialize<TObject>(body.GetRawText()) : null;
    }

    /// <summary>Writes <paramref name="status"/> as the status of <paramref name="current"/>, an object as JSON.</summary>
    /// <returns>Whether a request was sent (false: the status was already up to date).</returns>
    public async Task<bool> PatchAsync(KubeResource resource, JsonObject current, JsonNode? status, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(current);
        var metadata = current["metadata"] as JsonObject;
        return await SendAsync(
            resource,
            (string?)metadata?["namespace"],
            (string?)metadata?["name"] ?? throw new ArgumentException("The object has no metadata.name.", nameof(current)),
            (long?)metadata?["generation"],
            current["status"],
            status,
            cancellationToken).ConfigureAwait(false) is not null;
    }

    /// <summary>
    /// Writes <paramref name="status"/> as the status of the object <paramref name="name"/> in
    /// <paramref name="namespace"/> (null or empty for cluster-scoped kinds), whose status is now
    /// <paramref name="currentStatus"/>, setting its observedGeneration to <paramref name="generation"/> when given.
    /// </summary>
    /// <returns>The server's answer (the object as stored), or null when no request was sent.</returns>
    /// <exception cref="k8s.Autorest.HttpOperationException">The API server rejected the patch.</exception>
    private async Task<object?> SendAsync(
        KubeResource resource,
        string? @namespace,
        string name,
        long? generation,
        JsonNode? currentStatus,
        JsonNode? status,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (resource.Group.Length == 0)
        {
            throw new ArgumentException("StatusPatcher writes custom resources; core (v1) kinds have no custom-object path.", nameof(resource));
        }

        var desired = status?.DeepClone() ?? new JsonObject();
        if (generation is { } observed && desired is JsonObject statusObject)
        {
            statusObject["observedGeneration"] = observed;
        }

        if (JsonMergePatch.SemanticallyEqual(currentStatus, desired))
        {
            return null;
        }

        var patch = new JsonObject { ["status"] = JsonMergePatch.Create(currentStatus, desired) };
        var body = new V1Patch(patch.ToJsonString(), V1Patch.PatchType.MergePatch);
        if (resource.Namespaced)
        {
            ArgumentException.ThrowIfNullOrEmpty(@namespace);
            return await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(body, resource.Group, resource.Version, @namespace, resource.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return await client.CustomObjects.PatchClusterCustomObjectStatusAsync(body, resource.Group, resource.Version, resource.Plural, name, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
