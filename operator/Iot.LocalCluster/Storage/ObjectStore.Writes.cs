using System.Globalization;
using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

// Create and update.
public sealed partial class ObjectStore
{
    private const int MaxGeneratedNameAttempts = 8;

    // Metadata the server owns: updates keep the stored values whatever the body says.
    private static readonly string[] ServerOwnedMetadata =
        ["name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion"];

    private static readonly string[] LeadingFields = ["apiVersion", "kind", "metadata"];

    public JsonObject Create(ResourceType type, string? ns, JsonObject obj)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        var candidate = obj.DeepClone().AsObject();
        ObjectValidation.CheckShape(candidate);
        return Write(() => CreateLocked(type, ns, candidate).CloneObject());
    }

    /// <summary>
    /// Replaces an object (PUT semantics). The main resource keeps the stored status when the kind has a status
    /// subresource; the status subresource takes only status from the body. A write that changes nothing returns the
    /// stored object without a new resourceVersion or event.
    /// </summary>
    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject obj, UpdateOptions options)
    {
        ArgumentNullException.ThrowIfNull(type);
        ArgumentNullException.ThrowIfNull(obj);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Subresource is not ("" or UpdateOptions.Status) || (options.Subresource == UpdateOptions.Status && !type.HasStatus))
        {
            throw ApiException.NoSuchSubresource();
        }

        var body = obj.DeepClone().AsObject();
        ObjectValidation.CheckShape(body);
        return Write(() => UpdateLocked(type, ns, name, body, options).CloneObject());
    }

    private StoredObject CreateLocked(ResourceType type, string? requestNamespace, JsonObject candidate)
    {
        var metadata = ObjectMetadata.Of(candidate);
        var ns = NamespaceForCreate(type, requestNamespace, metadata);
        if (!string.IsNullOrEmpty(ObjectMetadata.GetString(metadata, "resourceVersion")))
        {
            throw ApiException.BadRequest("resourceVersion should not be set on objects to be created");
        }

        var name = ObjectMetadata.GetString(metadata, "name") ?? "";
        var generateName = ObjectMetadata.GetString(metadata, "generateName") ?? "";
        if (name.Length == 0 && generateName.Length == 0)
        {
            throw ApiException.Invalid(type, "", [FieldErrors.Required("metadata.name", "name or generateName is required")]);
        }

        if (type.Namespaced)
        {
            EnsureNamespaceAcceptsContent(type, ns, name);
        }

        var generated = name.Length == 0;
        if (generated)
        {
            name = GeneratedNames.Append(generateName);
        }

        candidate["apiVersion"] = type.ApiVersion;
        candidate["kind"] = type.Kind;
        metadata["name"] = name;
        if (type.Namespaced)
        {
            metadata["namespace"] = ns;
        }
        else
        {
            metadata.Remove("namespace");
        }

        metadata["uid"] = Guid.NewGuid().ToString();
        metadata["creationTimestamp"] = Now();
        metadata["generation"] = 1L;
        metadata.Remove("deletionTimestamp");
        metadata.Remove("deletionGracePeriodSeconds");
        if (type.HasStatus)
        {
            // Status is written through its subresource only.
            candidate.Remove("status");
        }

        if (type.Key == NamespacesKey)
        {
            candidate["status"] = new JsonObject { ["phase"] = "Active" };
        }

        var problems = ObjectValidation.Problems(type, candidate);
        if (problems.Count > 0)
        {
            throw ApiException.Invalid(type, name, problems);
        }

        // Like the real server, retry a generated name that is taken rather than report the collision.
        for (var attempt = 1; _index.Find(type.Key, new ObjectKey(ns, name)) is not null; attempt++)
        {
            if (!generated || attempt == MaxGeneratedNameAttempts)
            {
                throw ApiException.AlreadyExists(type, name);
            }

            name = GeneratedNames.Append(generateName);
            metadata["name"] = name;
        }

        var created = CommitAdded(type, InStandardOrder(candidate));
        Settle(afterDelete: false);
        return created;
    }

    private StoredObject UpdateLocked(ResourceType type, string? ns, string name, JsonObject body, UpdateOptions options)
    {
        var previous = _index.Find(type.Key, KeyOf(type, ns, name)) ?? throw ApiException.NotFound(type, name);
        var metadata = ObjectMetadata.Of(body);
        var bodyName = ObjectMetadata.GetString(metadata, "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        var bodyNamespace = ObjectMetadata.GetString(metadata, "namespace");
        if (type.Namespaced && !string.IsNullOrEmpty(bodyNamespace) && bodyNamespace != previous.Key.Namespace)
        {
            throw NamespaceMismatch();
        }

        var bodyVersion = ObjectMetadata.GetString(metadata, "resourceVersion");
        if (string.IsNullOrEmpty(bodyVersion))
        {
            if (options.RequireResourceVersion)
            {
                throw ApiException.Invalid(type, name, [FieldErrors.InvalidRendered("metadata.resourceVersion", "0x0", "must be specified for an update")]);
            }
        }
        else if (bodyVersion != previous.ResourceVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw ApiException.Modified(type, name);
        }

        var bodyUid = ObjectMetadata.GetString(metadata, "uid");
        if (!string.IsNullOrEmpty(bodyUid) && bodyUid != previous.Uid)
        {
            throw ApiException.Conflict(type, name, $"Precondition failed: UID in precondition: {bodyUid}, UID in object meta: {previous.Uid}");
        }

        var candidate = options.Subresource == UpdateOptions.Status ? WithStatusOf(body, previous) : WithServerFieldsOf(previous, body);
        var problems = ObjectValidation.Problems(type, candidate);
        if (problems.Count > 0)
        {
            throw ApiException.Invalid(type, name, problems);
        }

        if (ChangesGeneration(type, previous.Object, candidate))
        {
            ObjectMetadata.Of(candidate)["generation"] = previous.Generation + 1;
        }

        if (JsonNode.DeepEquals(candidate, previous.Object))
        {
            return previous;
        }

        var updated = CommitUpdate(previous, candidate);
        Settle(afterDelete: false);
        return updated;
    }

    private static string NamespaceForCreate(ResourceType type, string? requestNamespace, JsonObject metadata)
    {
        if (!type.Namespaced)
        {
            return "";
        }

        if (string.IsNullOrEmpty(requestNamespace))
        {
            throw ApiException.BadRequest($"a namespace is required to create {ApiException.ResourceName(type)}");
        }

        var bodyNamespace = ObjectMetadata.GetString(metadata, "namespace");
        return string.IsNullOrEmpty(bodyNamespace) || bodyNamespace == requestNamespace ? requestNamespace : throw NamespaceMismatch();
    }

    private static ApiException NamespaceMismatch() =>
        ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");

    private void EnsureNamespaceAcceptsContent(ResourceType type, string ns, string name)
    {
        var owner = _index.Find(NamespacesKey, new ObjectKey("", ns)) ?? throw ApiException.NamespaceNotFound(ns);
        if (owner.IsDeleting)
        {
            throw ApiException.Forbidden(type, name, $"unable to create new content in namespace {ns} because it is being terminated");
        }
    }

    /// <summary>The body, with apiVersion, kind and server-owned metadata from the stored object, and its status when status is a subresource.</summary>
    private static JsonObject WithServerFieldsOf(StoredObject previous, JsonObject body)
    {
        body["apiVersion"] = previous.Type.ApiVersion;
        body["kind"] = previous.Type.Kind;
        var metadata = ObjectMetadata.Of(body);
        var stored = previous.Object["metadata"]!.AsObject();
        foreach (var field in ServerOwnedMetadata)
        {
            if (stored[field] is { } value)
            {
                metadata[field] = value.DeepClone();
            }
            else
            {
                metadata.Remove(field);
            }
        }

        if (previous.Type.HasStatus)
        {
            SetOrRemove(body, "status", previous.Object["status"]);
        }

        return InStandardOrder(body);
    }

    /// <summary>The stored object with the body's status: all a status update may change.</summary>
    private static JsonObject WithStatusOf(JsonObject body, StoredObject previous)
    {
        var candidate = previous.CloneObject();
        SetOrRemove(candidate, "status", body["status"]);
        return candidate;
    }

    /// <summary>Generation counts changes to the desired state: spec, or for kinds without spec anything but metadata and status.</summary>
    private static bool ChangesGeneration(ResourceType type, JsonObject before, JsonObject after)
    {
        if (type.HasSpec)
        {
            return !JsonNode.DeepEquals(before["spec"], after["spec"]);
        }

        return before.Select(p => p.Key).Union(after.Select(p => p.Key))
            .Where(field => field is not ("apiVersion" or "kind" or "metadata" or "status"))
            .Any(field => !JsonNode.DeepEquals(before[field], after[field]));
    }

    private static void SetOrRemove(JsonObject target, string field, JsonNode? value)
    {
        if (value is null)
        {
            target.Remove(field);
        }
        else
        {
            target[field] = value.DeepClone();
        }
    }

    /// <summary>apiVersion, kind and metadata first, as the real server serializes objects.</summary>
    private static JsonObject InStandardOrder(JsonObject obj)
    {
        var properties = obj.ToList();
        obj.Clear();
        var ordered = new JsonObject();
        foreach (var (field, value) in properties.OrderBy(p => Array.IndexOf(LeadingFields, p.Key) is var i and >= 0 ? i : LeadingFields.Length))
        {
            ordered[field] = value;
        }

        return ordered;
    }
}
