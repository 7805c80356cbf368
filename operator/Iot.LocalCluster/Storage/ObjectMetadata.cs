using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Storage;

/// <summary>Reads and writes metadata fields of JSON objects, tolerating absent or null fields.</summary>
internal static class ObjectMetadata
{
    public const string ForegroundDeletionFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    /// <summary>The object's metadata, created when absent; a non-object metadata is a 400 BadRequest.</summary>
    public static JsonObject Of(JsonObject obj)
    {
        switch (obj["metadata"])
        {
            case JsonObject metadata:
                return metadata;
            case null:
                var created = new JsonObject();
                obj["metadata"] = created;
                return created;
            default:
                throw ApiException.BadRequest("invalid object: metadata must be an object");
        }
    }

    public static string? GetString(JsonObject parent, string field) =>
        parent[field] is JsonValue value && value.GetValueKind() == JsonValueKind.String ? value.GetValue<string>() : null;

    public static long GetLong(JsonObject parent, string field) => parent[field] switch
    {
        JsonValue value when value.TryGetValue(out long number) => number,
        JsonValue value when value.TryGetValue(out int number) => number,
        JsonValue value when value.GetValueKind() == JsonValueKind.Number => long.Parse(value.ToJsonString(), CultureInfo.InvariantCulture),
        _ => 0,
    };

    public static bool GetBool(JsonObject parent, string field) =>
        parent[field] is JsonValue value && value.GetValueKind() == JsonValueKind.True;

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static void SetResourceVersion(JsonObject obj, long resourceVersion) =>
        Of(obj)["resourceVersion"] = resourceVersion.ToString(CultureInfo.InvariantCulture);

    public static IReadOnlyList<string> Finalizers(JsonObject metadata) =>
        metadata["finalizers"] is JsonArray finalizers
            ? finalizers.OfType<JsonValue>().Where(v => v.GetValueKind() == JsonValueKind.String).Select(v => v.GetValue<string>()).ToList()
            : [];

    /// <summary>Sets metadata.finalizers, omitting the field when the list is empty (as the real server serializes it).</summary>
    public static void SetFinalizers(JsonObject obj, IEnumerable<string> finalizers)
    {
        var list = new JsonArray(finalizers.Select(f => (JsonNode?)JsonValue.Create(f)).ToArray());
        if (list.Count == 0)
        {
            Of(obj).Remove("finalizers");
        }
        else
        {
            Of(obj)["finalizers"] = list;
        }
    }

    public static IReadOnlyList<OwnerReference> OwnerReferences(JsonObject metadata) =>
        metadata["ownerReferences"] is JsonArray references
            ? references.OfType<JsonObject>()
                .Select(r => new OwnerReference(GetString(r, "uid") ?? "", GetBool(r, "blockOwnerDeletion")))
                .ToList()
            : [];

    /// <summary>Removes the ownerReferences whose uid matches, omitting the field when none remain.</summary>
    public static void RemoveOwnerReferences(JsonObject obj, Func<string, bool> uidMatches)
    {
        var metadata = Of(obj);
        if (metadata["ownerReferences"] is not JsonArray references)
        {
            return;
        }

        var kept = references.Where(r => r is not JsonObject o || !uidMatches(GetString(o, "uid") ?? "")).Select(r => r?.DeepClone()).ToArray();
        if (kept.Length == 0)
        {
            metadata.Remove("ownerReferences");
        }
        else
        {
            metadata["ownerReferences"] = new JsonArray(kept);
        }
    }

    public static IReadOnlyDictionary<string, string> Labels(JsonObject metadata)
    {
        if (metadata["labels"] is not JsonObject labels)
        {
            return EmptyLabels;
        }

        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in labels)
        {
            if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
            {
                result[key] = v.GetValue<string>();
            }
        }

        return result;
    }

    private static readonly IReadOnlyDictionary<string, string> EmptyLabels = new Dictionary<string, string>();
}
