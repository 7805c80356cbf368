using System.Text.Json.Nodes;

using Iot.Api.Validation;

namespace Iot.Api.Schema;

/// <summary>
/// The mutating half of <c>StructuralSchema.Apply</c>, done before validation as the API server does: removes fields
/// the schema does not specify and fills in defaults, top-down, so a defaulted object receives its own nested defaults.
/// </summary>
internal static class PruningDefaulter
{
    /// <summary>Prunes and defaults <paramref name="value"/> in place; pruned fields are added to <paramref name="unknownFields"/> in document order.</summary>
    /// <param name="value">The value at <paramref name="path"/>.</param>
    /// <param name="schema">Its schema.</param>
    /// <param name="path">Its path, for reporting.</param>
    /// <param name="isResourceRoot">Whether the value is a resource (the root, or an embedded resource): apiVersion, kind and metadata are the API server's.</param>
    /// <param name="unknownFields">Receives the pruned fields.</param>
    public static void Apply(JsonNode? value, SchemaNode schema, string path, bool isResourceRoot, List<FieldError> unknownFields)
    {
        switch (value)
        {
            case JsonObject obj when schema.DescribesObjects:
                ApplyToObject(obj, schema, path, isResourceRoot, unknownFields);
                break;
            case JsonArray array when schema.DescribesArrays && schema.Items is { } items:
                for (var i = 0; i < array.Count; i++)
                {
                    if (NeedsDefault(array[i], items))
                    {
                        array[i] = JsonSnapshot.ToNode(items.Default!.Value);
                    }

                    Apply(array[i], items, FieldPath.Index(path, i), items.EmbeddedResource, unknownFields);
                }

                break;
        }
    }

    private static void ApplyToObject(JsonObject obj, SchemaNode schema, string path, bool isResourceRoot, List<FieldError> unknownFields)
    {
        foreach (var (name, property) in schema.PropertyList)
        {
            if (property.Default is { } defaultValue && !(isResourceRoot && name == "metadata")
                && (!obj.TryGetPropertyValue(name, out var current) || NeedsDefault(current, property)))
            {
                obj[name] = JsonSnapshot.ToNode(defaultValue); // a fresh copy: defaults are never shared between objects
            }
        }

        List<string>? pruned = null;
        foreach (var (name, member) in obj.ToList())
        {
            var memberPath = FieldPath.Member(path, name);
            if (isResourceRoot && name is "apiVersion" or "kind" or "metadata")
            {
                continue; // the API server's own fields: always allowed, and metadata is never pruned or defaulted by the schema
            }

            if (schema.Properties.TryGetValue(name, out var property))
            {
                Apply(member, property, memberPath, property.EmbeddedResource, unknownFields);
            }
            else if (schema.AdditionalProperties is { } mapValues)
            {
                var mapValue = member;
                if (NeedsDefault(member, mapValues))
                {
                    obj[name] = mapValue = JsonSnapshot.ToNode(mapValues.Default!.Value);
                }

                Apply(mapValue, mapValues, memberPath, mapValues.EmbeddedResource, unknownFields);
            }
            else if (!schema.AdditionalPropertiesAllowAny && !schema.PreserveUnknownFields)
            {
                unknownFields.Add(new FieldError(memberPath, $"unknown field \"{name}\"", FieldErrorKind.Unknown));
                (pruned ??= []).Add(name);
            }
        }

        foreach (var name in pruned ?? [])
        {
            obj.Remove(name);
        }
    }

    /// <summary>The API server replaces null by the default unless the field is nullable.</summary>
    private static bool NeedsDefault(JsonNode? value, SchemaNode schema) => value is null && schema.Default is not null && !schema.Nullable;
}
