using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>
/// Server-side apply and field ownership (<c>metadata.managedFields</c>), modelled on the API server's structured-merge-diff
/// but driven by <see cref="ApplySchema"/> (the merge key table plus a few atomic maps) instead of OpenAPI schemas.
/// </summary>
/// <remarks>
/// <para>What is implemented:</para>
/// <list type="bullet">
/// <item><b>Merge.</b> The applied object's fields are set on the live object: objects merge; lists with a merge key
/// (<see cref="MergeKeyTable"/>: containers by name, env by name, Service ports by port, <c>status.conditions</c> by type in
/// every kind, ...) merge item by item; <c>metadata.finalizers</c> is a set; every other list is atomic and replaced, and for
/// custom resources (a group with a dot that is not *.k8s.io) all lists but conditions, finalizers and ownerReferences are.
/// Label and node selectors of built-in kinds are atomic maps. <c>null</c> in the applied object removes the field (and owns it).
/// apiVersion and kind are copied; metadata.name and namespace are taken only when creating; uid, resourceVersion,
/// generation, creationTimestamp, deletionTimestamp, managedFields and selfLink in the applied object are ignored.</item>
/// <item><b>managedFields.</b> One entry per manager, operation and subresource with apiVersion, time (RFC 3339 seconds, UTC),
/// fieldsType FieldsV1 and fieldsV1 in the real format, sorted as the API server sorts them (Apply before Update, then by time).
/// An apply owns every primitive, null, empty object, atomic list and atomic map it sets, every keyed list item
/// (<c>k:{"name":"web"}</c> with <c>"."</c>, including its key field) and every set value (<c>v:"x"</c>). Entries that own
/// nothing are dropped. The time changes only when the object changes (a no-op apply leaves the object equal).</item>
/// <item><b>Removal.</b> A field the manager applied last time but no longer applies is removed unless another entry owns
/// it; a keyed item is removed unless another entry owns something inside it. Objects and lists the removal emptied are
/// removed too.</item>
/// <item><b>Conflicts.</b> Setting a field that another manager owns (through Apply or Update) to a different value, adding a
/// keyed item another manager owns, or replacing a value inside which another manager owns fields, throws
/// <see cref="ApplyConflictException"/> with the API server's messages. With force, the other managers lose those fields and
/// the applier owns them. Setting an equal value shares ownership.</item>
/// <item><b>Objects without managedFields.</b> The first apply treats all their fields as owned by "before-first-apply"
/// (operation Update), as the API server does; so the HTTP layer should record every create and update.</item>
/// <item><b>Updates.</b> <see cref="RecordUpdate(JsonObject?, JsonObject, string, DateTimeOffset)"/> records a PUT or PATCH
/// as the API server does: the manager's Update entry gains the fields that were added or changed and every entry loses the
/// fields that were removed or that the update changed (updates always take ownership).</item>
/// </list>
/// <para>What is not:</para>
/// <list type="bullet">
/// <item>No OpenAPI or CRD schemas: <c>x-kubernetes-list-type</c>/<c>x-kubernetes-list-map-keys</c> of CRDs and
/// <c>+listType</c> markers beyond the table are not read; keyed lists have one key field (ports by port or containerPort
/// alone, not with protocol), and no defaulting happens before keys are compared.</item>
/// <item>No version conversion: managedFields of other apiVersions are compared as they are.</item>
/// <item>A manager never conflicts with its own entries for other operations or subresources (the API server would
/// report a conflict between, say, kubectl's Update and Apply entries).</item>
/// <item>No validation of the result, no <c>status</c> handling (the HTTP layer resets status or spec per subresource),
/// no resourceVersion precondition (the HTTP layer checks it), and no limit on the number of managedFields entries.</item>
/// </list>
/// </remarks>
public static class ServerSideApply
{
    /// <summary>The manager the API server gives the fields of an object that had no managedFields when first applied.</summary>
    public const string BeforeFirstApplyManager = "before-first-apply";

    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, string kind, DateTimeOffset now) =>
        Apply(live, applied, manager, force, kind, now, subresource: "");

    /// <param name="live">The stored object; null to create one.</param>
    /// <param name="applied">The user's partial object.</param>
    /// <param name="manager">The field manager (?fieldManager=).</param>
    /// <param name="force">Take fields from other managers instead of failing (?force=true).</param>
    /// <param name="kind">The object's kind.</param>
    /// <param name="now">The time for managedFields.</param>
    /// <param name="subresource">Empty for the main resource, "status" for /status.</param>
    public static JsonObject Apply(JsonObject? live, JsonObject applied, string manager, bool force, string kind, DateTimeOffset now, string subresource)
    {
        string? apiVersion = StringMember(applied, "apiVersion") ?? (live is null ? null : StringMember(live, "apiVersion"));
        ApplySchema schema = ApplySchema.For(kind, apiVersion);
        JsonObject request = WithoutServerOwnedFields(applied);
        FieldSet appliedFields = ObjectFields.Of(request, schema, strict: true);

        List<ManagedFieldsEntry> entries = live is null ? [] : ManagedFieldsEntry.ReadFrom(live);
        if (live is not null && entries.Count == 0)
        {
            entries.Add(new(BeforeFirstApplyManager, ManagedFieldsEntry.UpdateOperation, StringMember(live, "apiVersion") ?? "", null, ObjectFields.Of(live, schema, strict: false)));
        }
        int ownIndex = entries.FindIndex(entry => entry.IsWriter(manager, ManagedFieldsEntry.ApplyOperation, subresource));
        FieldSet previouslyApplied = ownIndex >= 0 ? entries[ownIndex].Fields : FieldSet.Empty;

        TakeConflictingFields(entries, live, request, appliedFields, manager, force);

        JsonObject result = live is null ? NewObject(applied) : WithoutManagedFields(live);
        CopyTypeFields(applied, result);
        FieldSet ownedByOthers = new(entries.Where((_, index) => index != ownIndex).SelectMany(entry => entry.Fields.Paths));
        RemoveFieldsNoLongerApplied(result, previouslyApplied, appliedFields, ownedByOthers);
        ApplyMerge.Into(result, request, schema);

        bool objectChanged = live is null || !JsonNode.DeepEquals(WithoutManagedFields(live), result);
        string? time = objectChanged || ownIndex < 0 ? ManagedFieldsEntry.FormatTime(now) : entries[ownIndex].Time;
        ManagedFieldsEntry own = new(manager, ManagedFieldsEntry.ApplyOperation, apiVersion ?? "", time, appliedFields, subresource);
        if (ownIndex >= 0)
        {
            entries[ownIndex] = own;
        }
        else
        {
            entries.Add(own);
        }
        ManagedFieldsEntry.WriteTo(result, entries);
        return result;
    }

    public static JsonObject RecordUpdate(JsonObject? before, JsonObject after, string manager, DateTimeOffset now) =>
        RecordUpdate(before, after, manager, now, subresource: "");

    /// <summary>
    /// Records a create, update or patch by <paramref name="manager"/> in managedFields. managedFields in
    /// <paramref name="after"/> are taken as the client's (the API server lets clients rewrite them); an empty list clears
    /// them and nothing is recorded; absent, those of <paramref name="before"/> are kept.
    /// </summary>
    /// <param name="before">The stored object; null for a create.</param>
    /// <param name="after">The object to store.</param>
    /// <param name="manager">The field manager (?fieldManager=, or what the API server derives from the user agent).</param>
    /// <param name="now">The time for managedFields.</param>
    /// <param name="subresource">Empty for the main resource, "status" for /status.</param>
    public static JsonObject RecordUpdate(JsonObject? before, JsonObject after, string manager, DateTimeOffset now, string subresource)
    {
        JsonObject result = after.DeepClone().AsObject();
        List<ManagedFieldsEntry> entries;
        if (after["metadata"] is JsonObject metadata && metadata.ContainsKey("managedFields"))
        {
            entries = ManagedFieldsEntry.ReadFrom(after);
            if (entries.Count == 0)
            {
                ManagedFieldsEntry.WriteTo(result, []);
                return result;
            }
        }
        else
        {
            entries = before is null ? [] : ManagedFieldsEntry.ReadFrom(before);
        }

        string? apiVersion = StringMember(after, "apiVersion");
        ApplySchema schema = ApplySchema.For(StringMember(after, "kind") ?? "", apiVersion);
        FieldSet afterFields = ObjectFields.Of(after, schema, strict: false);
        FieldSet beforeFields = before is null ? FieldSet.Empty : ObjectFields.Of(before, schema, strict: false);
        List<FieldPath> changed = [.. afterFields.Paths.Where(path => IsChanged(before, after, afterFields, path))];
        FieldSet removed = beforeFields.Except(afterFields);

        int ownIndex = entries.FindIndex(entry => entry.IsWriter(manager, ManagedFieldsEntry.UpdateOperation, subresource));
        for (int i = 0; i < entries.Count; i++)
        {
            if (i != ownIndex)
            {
                entries[i] = entries[i] with { Fields = WithoutFieldsAt(entries[i].Fields, changed, afterFields).Except(removed) };
            }
        }
        FieldSet taken = new(changed);
        if (ownIndex >= 0)
        {
            ManagedFieldsEntry own = entries[ownIndex];
            entries[ownIndex] = own with
            {
                ApiVersion = taken.IsEmpty ? own.ApiVersion : apiVersion ?? "",
                Time = taken.IsEmpty ? own.Time : ManagedFieldsEntry.FormatTime(now),
                Fields = own.Fields.Union(taken).Except(removed),
            };
        }
        else if (!taken.IsEmpty)
        {
            entries.Add(new(manager, ManagedFieldsEntry.UpdateOperation, apiVersion ?? "", ManagedFieldsEntry.FormatTime(now), taken, subresource));
        }
        ManagedFieldsEntry.WriteTo(result, entries);
        return result;
    }

    /// <summary>Finds the fields the apply would change under other managers; throws unless forced, else takes them from their owners.</summary>
    private static void TakeConflictingFields(List<ManagedFieldsEntry> entries, JsonObject? live, JsonObject request, FieldSet appliedFields, string manager, bool force)
    {
        List<FieldPath> changed = [.. appliedFields.Paths.Where(path => IsChanged(live, request, appliedFields, path))];
        List<ApplyConflict> conflicts = [];
        for (int i = 0; i < entries.Count; i++)
        {
            ManagedFieldsEntry entry = entries[i];
            if (entry.Manager == manager)
            {
                continue;
            }
            List<FieldPath> contested = [.. FieldsAt(entry.Fields, changed, appliedFields)];
            conflicts.AddRange(contested.Select(path => ApplyConflict.With(entry, path)));
            entries[i] = entry with { Fields = entry.Fields.Except(contested) };
        }
        if (conflicts.Count > 0 && !force)
        {
            throw new ApplyConflictException([.. conflicts.OrderBy(c => c.Manager, StringComparer.Ordinal).ThenBy(c => c.Field, StringComparer.Ordinal)]);
        }
    }

    /// <summary>Whether writing <paramref name="next"/> changes the value at a member path of <paramref name="nextFields"/>.</summary>
    private static bool IsChanged(JsonObject? previous, JsonObject next, FieldSet nextFields, FieldPath path)
    {
        bool existed = ObjectFields.TryGet(previous, path, out JsonNode? previousValue);
        if (!nextFields.IsLeaf(path))
        {
            // A keyed item changes only by appearing; its fields are members of their own.
            return !existed;
        }
        ObjectFields.TryGet(next, path, out JsonNode? nextValue);
        return !existed || !JsonNode.DeepEquals(previousValue, nextValue);
    }

    /// <summary>The members of <paramref name="owned"/> at the changed paths, or inside changed values (a replaced list or map, a type change).</summary>
    private static IEnumerable<FieldPath> FieldsAt(FieldSet owned, List<FieldPath> changed, FieldSet changedFields)
    {
        HashSet<FieldPath> changedLeaves = [.. changed.Where(changedFields.IsLeaf)];
        return owned.Paths.Where(path => changed.Contains(path) || changedLeaves.Any(leaf => path.IsUnder(leaf)));
    }

    private static FieldSet WithoutFieldsAt(FieldSet owned, List<FieldPath> changed, FieldSet changedFields) =>
        owned.Except(FieldsAt(owned, changed, changedFields).ToList());

    private static void RemoveFieldsNoLongerApplied(JsonObject result, FieldSet previouslyApplied, FieldSet appliedFields, FieldSet ownedByOthers)
    {
        FieldSet keep = appliedFields.Union(ownedByOthers);
        IEnumerable<FieldPath> dropped = previouslyApplied.Except(keep).Paths
            .Where(path => path.Last.Kind == PathElementKind.Field || !ownedByOthers.HasMembersUnder(path))
            .OrderBy(path => path.Length); // a list item goes before its fields, which identify it
        foreach (FieldPath path in dropped)
        {
            ObjectFields.Remove(result, path, keep);
        }
    }

    /// <summary>The applied object without apiVersion, kind and server-owned metadata, which no manager owns.</summary>
    private static JsonObject WithoutServerOwnedFields(JsonObject applied)
    {
        JsonObject request = applied.DeepClone().AsObject();
        foreach (string name in request.Select(member => member.Key).Where(name => ApplySchema.IsServerOwned([name])).ToList())
        {
            request.Remove(name);
        }
        if (request["metadata"] is JsonObject metadata)
        {
            foreach (string name in metadata.Select(member => member.Key).Where(name => ApplySchema.IsServerOwned(["metadata", name])).ToList())
            {
                metadata.Remove(name);
            }
            if (metadata.Count == 0)
            {
                request.Remove("metadata");
            }
        }
        return request;
    }

    private static JsonObject NewObject(JsonObject applied)
    {
        JsonObject created = [];
        CopyTypeFields(applied, created);
        JsonObject metadata = [];
        foreach (string identity in (string[])["name", "namespace"])
        {
            if (applied["metadata"]?[identity] is JsonNode value)
            {
                metadata[identity] = value.DeepClone();
            }
        }
        created["metadata"] = metadata;
        return created;
    }

    private static void CopyTypeFields(JsonObject applied, JsonObject result)
    {
        foreach (string name in (string[])["apiVersion", "kind"])
        {
            if (applied[name] is JsonNode value)
            {
                result[name] = value.DeepClone();
            }
        }
    }

    private static JsonObject WithoutManagedFields(JsonObject obj)
    {
        JsonObject copy = obj.DeepClone().AsObject();
        (copy["metadata"] as JsonObject)?.Remove("managedFields");
        return copy;
    }

    private static string? StringMember(JsonObject obj, string name) =>
        obj[name] is JsonValue value && value.TryGetValue(out string? text) ? text : null;
}
