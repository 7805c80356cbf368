using System.Text.Json.Nodes;

using k8s;
using k8s.Models;

namespace Iot.Kube;

/// <summary>
/// Adds and removes finalizers by JSON patch, guarded by a <c>test</c> op (on the finalizers list, or on the
/// resourceVersion when there is none yet) so a concurrent change fails the patch with 422 instead of being clobbered.
/// </summary>
public static class FinalizerPatch
{
    /// <summary>The patch adding <paramref name="finalizer"/>, or null if the object already has it.</summary>
    public static V1Patch? Add(V1ObjectMeta metadata, string finalizer)
    {
        var current = metadata.Finalizers ?? [];
        if (current.Contains(finalizer))
        {
            return null;
        }

        var ops = current.Count == 0
            ? new JsonArray
            {
                Op("test", "/metadata/resourceVersion", metadata.ResourceVersion),
                Op("add", "/metadata/finalizers", new JsonArray(finalizer)),
            }
            : new JsonArray
            {
                Op("test", "/metadata/finalizers", new JsonArray([.. current.Select(f => (JsonNode?)f)])),
                Op("add", "/metadata/finalizers/-", finalizer),
            };
        return new V1Patch(ops.ToJsonString(), V1Patch.PatchType.JsonPatch);
    }

    /// <summary>The patch removing <paramref name="finalizer"/>, or null if the object does not have it.</summary>
    public static V1Patch? Remove(V1ObjectMeta metadata, string finalizer)
    {
        var index = metadata.Finalizers?.IndexOf(finalizer) ?? -1;
        if (index < 0)
        {
            return null;
        }

        var path = $"/metadata/finalizers/{index}";
        var ops = new JsonArray { Op("test", path, finalizer), Op("remove", path, null) };
        return new V1Patch(ops.ToJsonString(), V1Patch.PatchType.JsonPatch);
    }

    /// <summary>Adds the finalizer by patch; returns the patched object, or <paramref name="obj"/> if it already had it.</summary>
    public static async Task<T> AddFinalizerAsync<T>(this ResourceClient<T> client, T obj, string finalizer, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        return Add(obj.Metadata, finalizer) is { } patch
            ? await client.PatchAsync(obj.Metadata.Name, obj.Metadata.NamespaceProperty, patch, cancellationToken).ConfigureAwait(false)
            : obj;
    }

    /// <summary>Removes the finalizer by patch; returns the patched object, or <paramref name="obj"/> if it did not have it.</summary>
    public static async Task<T> RemoveFinalizerAsync<T>(this ResourceClient<T> client, T obj, string finalizer, CancellationToken cancellationToken = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        return Remove(obj.Metadata, finalizer) is { } patch
            ? await client.PatchAsync(obj.Metadata.Name, obj.Metadata.NamespaceProperty, patch, cancellationToken).ConfigureAwait(false)
            : obj;
    }

    private static JsonObject Op(string op, string path, JsonNode? value)
    {
        var node = new JsonObject { ["op"] = op, ["path"] = path };
        if (op != "remove")
        {
            node["value"] = value;
        }

        return node;
    }
}
