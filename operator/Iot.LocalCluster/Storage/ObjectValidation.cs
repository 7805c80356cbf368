using System.Text.Json;
using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

/// <summary>The metadata checks every kind gets from the real server: JSON shape (400) and names, labels and owner references (422).</summary>
internal static class ObjectValidation
{
    private static readonly string[] StringFields = ["name", "generateName", "namespace", "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp"];

    /// <summary>Throws 400 BadRequest when a metadata field the store reads has the wrong JSON type (what the real server fails to decode).</summary>
    public static void CheckShape(JsonObject obj)
    {
        if (obj["metadata"] is null)
        {
            return;
        }

        if (obj["metadata"] is not JsonObject metadata)
        {
            throw Malformed("metadata", "an object");
        }

        foreach (var field in StringFields)
        {
            Require(metadata, field, $"metadata.{field}", JsonValueKind.String);
        }

        RequireStringMap(metadata, "labels");
        RequireStringMap(metadata, "annotations");
        if (metadata["finalizers"] is { } finalizers
            && (finalizers is not JsonArray list || list.Any(f => f is null || f.GetValueKind() != JsonValueKind.String)))
        {
            throw Malformed("metadata.finalizers", "an array of strings");
        }

        if (metadata["ownerReferences"] is { } references)
        {
            if (references is not JsonArray array || array.Any(r => r is not JsonObject))
            {
                throw Malformed("metadata.ownerReferences", "an array of objects");
            }

            foreach (var reference in array.Cast<JsonObject>())
            {
                foreach (var field in new[] { "apiVersion", "kind", "name", "uid" })
                {
                    Require(reference, field, $"metadata.ownerReferences.{field}", JsonValueKind.String);
                }

                foreach (var field in new[] { "controller", "blockOwnerDeletion" })
                {
                    Require(reference, field, $"metadata.ownerReferences.{field}", JsonValueKind.True, JsonValueKind.False);
                }
            }
        }
    }

    /// <summary>Field errors in the object's name, labels and owner references (empty when valid).</summary>
    public static List<(string Field, string Reason, string Message)> Problems(ResourceType type, JsonObject obj)
    {
        var problems = new List<(string Field, string Reason, string Message)>();
        var metadata = ObjectMetadata.Of(obj);
        var name = ObjectMetadata.GetString(metadata, "name") ?? "";
        problems.AddRange(NameProblems(type, name).Select(p => FieldErrors.Invalid("metadata.name", name, p)));

        if (metadata["labels"] is JsonObject labels)
        {
            foreach (var (key, value) in labels)
            {
                problems.AddRange(NameRules.QualifiedName(key).Select(p => FieldErrors.Invalid("metadata.labels", key, p)));
                var text = value?.GetValue<string>() ?? "";
                problems.AddRange(NameRules.LabelValue(text).Select(p => FieldErrors.Invalid("metadata.labels", text, p)));
            }
        }

        if (metadata["ownerReferences"] is JsonArray references)
        {
            foreach (var reference in references.OfType<JsonObject>())
            {
                foreach (var (field, what) in new[] { ("apiVersion", "version"), ("kind", "kind"), ("name", "name"), ("uid", "uid") })
                {
                    if (string.IsNullOrEmpty(ObjectMetadata.GetString(reference, field)))
                    {
                        problems.Add(FieldErrors.Invalid($"metadata.ownerReferences.{field}", "", $"{what} must not be empty"));
                    }
                }
            }

            var controllers = references.OfType<JsonObject>().Where(r => ObjectMetadata.GetBool(r, "controller")).ToList();
            if (controllers.Count > 1)
            {
                var names = string.Join(", ", controllers.Select(c => $"{ObjectMetadata.GetString(c, "kind")}/{ObjectMetadata.GetString(c, "name")}"));
                problems.Add(FieldErrors.InvalidRendered(
                    "metadata.ownerReferences",
                    references.ToJsonString(),
                    $"Only one reference can have Controller set to true. Found \"true\" in references for {names}"));
            }
        }

        return problems;
    }

    // Namespaces are DNS labels; RBAC names only need to be path segments ("system:..."); everything else is a DNS subdomain.
    private static IReadOnlyList<string> NameProblems(ResourceType type, string name) =>
        type.Key == ObjectStore.NamespacesKey ? NameRules.Dns1123Label(name)
        : type.Group == "rbac.authorization.k8s.io" ? NameRules.PathSegment(name)
        : NameRules.Dns1123Subdomain(name);

    private static void Require(JsonObject parent, string field, string path, params JsonValueKind[] kinds)
    {
        if (parent[field] is { } value && !kinds.Contains(value.GetValueKind()))
        {
            throw Malformed(path, kinds[0] == JsonValueKind.String ? "a string" : "a boolean");
        }
    }

    private static void RequireStringMap(JsonObject metadata, string field)
    {
        if (metadata[field] is { } map
            && (map is not JsonObject entries || entries.Any(e => e.Value is null || e.Value.GetValueKind() != JsonValueKind.String)))
        {
            throw Malformed($"metadata.{field}", "an object of strings");
        }
    }

    private static ApiException Malformed(string path, string expected) =>
        ApiException.BadRequest($"invalid object: {path} must be {expected}");
}
