using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

using Iot.Api.Manifests;
using Iot.Api.Schema;
using Iot.LocalCluster.Patching;
using Iot.LocalCluster.Resources;
using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Operations;

/// <summary>
/// What the API server does around storage: schema validation, pruning and defaulting of custom resources, patches,
/// server-side apply, Secret stringData, and serving the resources CRDs define. Used by the HTTP layer and by
/// <see cref="LocalCluster"/> when it installs CRDs and applies manifests at start-up.
/// </summary>
internal sealed class ResourceOperations
{
    private const int PatchAttempts = 10;
    private readonly ObjectStore store;
    private readonly ResourceRegistry registry;
    private readonly TimeProvider time;

    public ResourceOperations(ObjectStore store, ResourceRegistry registry, TimeProvider time)
    {
        this.store = store;
        this.registry = registry;
        this.time = time;
        store.Changed += OnChanged;
    }

    public JsonObject Create(ServedResource resource, string ns, JsonObject body, WriteOptions options)
    {
        Prepare(resource, body, options, subresource: "");
        var created = store.Create(resource.Type, Ns(resource, ns), RecordManager(null, body, options));
        return AfterWrite(resource, created);
    }

    public JsonObject Update(ServedResource resource, string ns, string name, string subresource, JsonObject body, WriteOptions options)
    {
        CheckName(body, name);
        Prepare(resource, body, options, subresource);
        var current = store.Get(resource.Type, Ns(resource, ns), name);
        var updated = store.Update(resource.Type, Ns(resource, ns), name, RecordManager(current, body, options),
            new UpdateOptions(subresource, RequireResourceVersion: resource.IsCustom));
        return AfterWrite(resource, updated);
    }

    /// <summary>Applies a patch of the given content type; returns the result and whether it created the object (apply only).</summary>
    public (JsonObject Object, bool Created) Patch(ServedResource resource, string ns, string name, string subresource, string contentType, string body, WriteOptions options)
    {
        var mediaType = contentType.Split(';')[0].Trim().ToLowerInvariant();
        for (var attempt = 1; ; attempt++)
        {
            var current = store.Get(resource.Type, Ns(resource, ns), name);
            JsonObject patched;
            if (mediaType == "application/apply-patch+yaml")
            {
                var applied = ParseApplyBody(body);
                var manager = options.FieldManager ?? throw ApiException.BadRequest("PATCH with application/apply-patch+yaml requires the fieldManager query parameter");
                CheckName(applied, name);
                try
                {
                    patched = ServerSideApply.Apply(current, applied, manager, options.Force, resource.Type.Kind, time.GetUtcNow());
                }
                catch (ApplyConflictException e)
                {
                    throw new ApiException(409, "Conflict", e.Message, [.. e.Conflicts.Select(c => (c.Field, "FieldManagerConflict", c.Message))], resource.Type.Plural, name, resource.Type.Group);
                }

                if (current is null)
                {
                    if (subresource.Length > 0)
                    {
                        throw ApiException.NotFound(resource.Type, name);
                    }

                    Prepare(resource, patched, options, "");
                    return (AfterWrite(resource, store.Create(resource.Type, Ns(resource, ns), patched)), true);
                }
            }
            else
            {
                if (current is null)
                {
                    throw ApiException.NotFound(resource.Type, name);
                }

                patched = ApplyPatch(resource, mediaType, current, body);
                patched = RecordManager(current, patched, options);
            }

            var explicitVersion = mediaType != "application/apply-patch+yaml" && PatchNamesResourceVersion(body);
            if (!explicitVersion)
            {
                patched["metadata"]!["resourceVersion"] = (string?)current!["metadata"]!["resourceVersion"];
            }

            Prepare(resource, patched, options, subresource);
            try
            {
                return (AfterWrite(resource, store.Update(resource.Type, Ns(resource, ns), name, patched, new UpdateOptions(subresource))), false);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && !explicitVersion && attempt < PatchAttempts)
            {
                // Someone wrote between our read and our write; a patch is re-applied to the new state, as the real server does.
            }
        }
    }

    public JsonObject Delete(ServedResource resource, string ns, string name, DeleteOptions options) =>
        store.Delete(resource.Type, Ns(resource, ns), name, options);

    public IReadOnlyList<JsonObject> DeleteCollection(ServedResource resource, string ns, ListOptions selection, DeleteOptions options) =>
        store.DeleteCollection(resource.Type, Ns(resource, ns), selection, options);

    /// <summary>Creates the object, or updates it to the given content when it exists (what <c>--apply DIR</c> does at start-up).</summary>
    public JsonObject CreateOrReplace(ServedResource resource, JsonObject body)
    {
        var ns = (string?)body["metadata"]?["namespace"] ?? (resource.Type.Namespaced ? "default" : "");
        var name = (string?)body["metadata"]?["name"] ?? throw ApiException.BadRequest("metadata.name is required");
        var options = new WriteOptions("iotctl", "iotctl", Force: true, FieldValidation: "Strict");
        var current = store.Get(resource.Type, Ns(resource, ns), name);
        if (current is null)
        {
            return Create(resource, ns, body, options);
        }

        body["metadata"]!["resourceVersion"] = (string?)current["metadata"]!["resourceVersion"];
        return Update(resource, ns, name, "", body, options);
    }

    private static string? Ns(ServedResource resource, string ns) => resource.Type.Namespaced ? ns : null;

    private static void CheckName(JsonObject body, string name)
    {
        var bodyName = (string?)body["metadata"]?["name"];
        if (bodyName is not null && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
    }

    private JsonObject ApplyPatch(ServedResource resource, string mediaType, JsonObject current, string body)
    {
        JsonNode? patch;
        try
        {
            patch = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the patch is not valid JSON: {e.Message}");
        }

        try
        {
            var result = mediaType switch
            {
                "application/merge-patch+json" => JsonMergePatch.Apply(current, patch),
                "application/json-patch+json" => JsonPatch.Apply(current, patch as JsonArray ?? throw ApiException.BadRequest("a JSON patch must be an array of operations")),
                "application/strategic-merge-patch+json" when resource.IsCustom =>
                    throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml"),
                "application/strategic-merge-patch+json" => StrategicMergePatch.Apply(current, patch, resource.Type.Kind),
                _ => throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format ({mediaType}) - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(resource.IsCustom ? "" : ", application/strategic-merge-patch+json")}"),
            };
            return result as JsonObject ?? throw new ApiException(422, "Invalid", "the patch did not produce an object");
        }
        catch (PatchException e)
        {
            throw new ApiException(422, "Invalid", e.Message);
        }
    }

    private static bool PatchNamesResourceVersion(string body) => body.Contains("\"resourceVersion\"", StringComparison.Ordinal);

    private static JsonObject ParseApplyBody(string body)
    {
        try
        {
            return ManifestReader.Read(body, "apply").SingleOrDefault()?.Content ?? throw ApiException.BadRequest("the apply patch is empty");
        }
        catch (ManifestException e)
        {
            throw ApiException.BadRequest($"error decoding YAML: line {e.Line}: {e.Reason}");
        }
        catch (InvalidOperationException)
        {
            throw ApiException.BadRequest("an apply patch must hold exactly one object");
        }
    }

    // Every write records its manager in managedFields, as the real server does, so a later apply sees who owns what.
    private JsonObject RecordManager(JsonObject? before, JsonObject after, WriteOptions options) =>
        before is null || !JsonNode.DeepEquals(Strip(before), Strip(after))
            ? ServerSideApply.RecordUpdate(before, after, options.Manager, time.GetUtcNow())
            : after;

    private static JsonNode Strip(JsonObject o)
    {
        var copy = o.DeepClone().AsObject();
        copy["metadata"]?.AsObject().Remove("managedFields");
        copy["metadata"]?.AsObject().Remove("resourceVersion");
        return copy;
    }

    private void Prepare(ServedResource resource, JsonObject body, WriteOptions options, string subresource)
    {
        var type = resource.Type;
        if (body["apiVersion"] is { } apiVersion && (string?)apiVersion != type.ApiVersion || body["kind"] is { } kind && (string?)kind != type.Kind)
        {
            throw ApiException.BadRequest($"the API version in the data ({body["apiVersion"]}) and kind ({body["kind"]}) do not match the resource {type.ApiVersion}, Kind={type.Kind}");
        }

        body["apiVersion"] = type.ApiVersion;
        body["kind"] = type.Kind;
        if (type.Key == "/secrets" && body["stringData"] is JsonObject stringData)
        {
            // As the real server: stringData is write-only, merged into data.
            var data = body["data"] as JsonObject ?? [];
            foreach (var (key, value) in stringData)
            {
                data[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes((string?)value ?? ""));
            }

            body["data"] = data;
            body.Remove("stringData");
        }

        if (type == BuiltinResources.CustomResourceDefinition && subresource.Length == 0)
        {
            var errors = body["spec"]?["versions"]?.AsArray().SelectMany((v, i) => v?["schema"]?["openAPIV3Schema"] is { } s
                ? StructuralSchema.FindStructuralErrors(s).Select(e => ($"spec.versions[{i}].schema.{e.Path}", e.Reason, e.Message))
                : [($"spec.versions[{i}].schema.openAPIV3Schema", "FieldValueRequired", "Required value: schemas are required")]).ToList() ?? [];
            if (errors.Count > 0)
            {
                throw ApiException.Invalid(type, (string?)body["metadata"]?["name"] ?? "", errors);
            }
        }

        if (resource.Schema is { } schema)
        {
            var result = schema.Apply(body);
            var unknown = result.UnknownFields.Select(u => (u.Path, u.Reason, u.Message)).ToList();
            if (unknown.Count > 0 && options.FieldValidation == "Strict")
            {
                throw new ApiException(400, "BadRequest", $"strict decoding error: {string.Join(", ", result.UnknownFields.Select(u => u.Message))}", unknown);
            }

            if (options.FieldValidation == "Warn")
            {
                options.Warnings.AddRange(result.UnknownFields.Select(u => $"unknown field \"{u.Path}\""));
            }

            if (!result.IsValid)
            {
                throw ApiException.Invalid(type, (string?)body["metadata"]?["name"] ?? "", [.. result.Errors.Select(e => (e.Path, e.Reason, e.Message))]);
            }
        }
    }

    // A CRD is served as soon as it is stored, and says so in its status (Established, NamesAccepted).
    private JsonObject AfterWrite(ServedResource resource, JsonObject written)
    {
        if (resource.Type != BuiltinResources.CustomResourceDefinition || written["metadata"]?["deletionTimestamp"] is not null)
        {
            return written;
        }

        registry.Register(written);
        var now = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        var names = written["spec"]!["names"]!.DeepClone();
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = (string?)written["status"]?["conditions"]?.AsArray().FirstOrDefault(c => (string?)c?["type"] == type)?["lastTransitionTime"] ?? now,
            ["reason"] = reason,
            ["message"] = message,
        };
        var status = written.DeepClone().AsObject();
        status["status"] = new JsonObject
        {
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["acceptedNames"] = names,
            ["storedVersions"] = new JsonArray([.. written["spec"]!["versions"]!.AsArray().Where(v => (bool?)v!["storage"] == true).Select(v => (JsonNode)(string)v!["name"]!)]),
        };
        return store.Update(resource.Type, null, (string)written["metadata"]!["name"]!, status, new UpdateOptions("status"));
    }

    // Deleting a CRD deletes its objects and stops serving it, whoever deleted it (including a namespace or GC cascade).
    private void OnChanged(ResourceType type, string change, JsonObject obj)
    {
        if (type != BuiltinResources.CustomResourceDefinition || change != "DELETED")
        {
            return;
        }

        var group = (string?)obj["spec"]?["group"];
        var plural = (string?)obj["spec"]?["names"]?["plural"];
        foreach (var served in registry.All.Where(r => r.IsCustom && r.Type.Group == group && r.Type.Plural == plural).ToList())
        {
            store.DeleteCollection(served.Type, null, new ListOptions(), new DeleteOptions());
        }

        registry.Unregister(obj);
    }
}
