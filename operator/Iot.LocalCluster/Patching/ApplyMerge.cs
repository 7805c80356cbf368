using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>
/// Sets an applied configuration's values on an object: objects merge member by member, keyed lists merge item by item,
/// sets are unioned, other lists and atomic maps are replaced, and <c>null</c> removes a member.
/// </summary>
internal static class ApplyMerge
{
    /// <summary>Merges <paramref name="applied"/> into <paramref name="target"/>, which the caller owns; <paramref name="applied"/> is only read.</summary>
    public static void Into(JsonObject target, JsonObject applied, ApplySchema schema) => MergeObject(target, applied, [], schema);

    private static JsonObject MergeObject(JsonObject target, JsonObject applied, string[] names, ApplySchema schema)
    {
        foreach ((string key, JsonNode? value) in applied)
        {
            if (value is null)
            {
                target.Remove(key);
                continue;
            }
            string[] childNames = [.. names, key];
            JsonNode? existing = target[key];
            JsonNode merged = (existing, value) switch
            {
                (JsonObject existingObject, JsonObject appliedObject) when !schema.IsAtomicMap(childNames) => MergeObject(existingObject, appliedObject, childNames, schema),
                (JsonArray existingArray, JsonArray appliedArray) => MergeList(existingArray, appliedArray, childNames, schema),
                _ => Fresh(value, childNames, schema),
            };
            if (!ReferenceEquals(merged, existing))
            {
                target[key] = merged;
            }
        }
        return target;
    }

    /// <summary>An applied value the target lacks, without the nulls that would only remove members.</summary>
    private static JsonNode Fresh(JsonNode value, string[] names, ApplySchema schema)
    {
        return value switch
        {
            JsonObject appliedObject when !schema.IsAtomicMap(names) => MergeObject([], appliedObject, names, schema),
            JsonArray appliedArray => MergeList([], appliedArray, names, schema),
            _ => value.DeepClone(),
        };
    }

    /// <summary>
    /// Items only the target has keep their places; applied items come in the applied order, each merged with its
    /// counterpart in the target when there is one; new items land after the item applied before them.
    /// </summary>
    private static JsonArray MergeList(JsonArray target, JsonArray applied, string[] names, ApplySchema schema)
    {
        ListMergeStrategy strategy = schema.ListAt(names);
        if (strategy.Kind == ListMergeKind.Replace)
        {
            return new JsonArray([.. applied.Select(item => item?.DeepClone())]);
        }
        List<JsonNode?> live = [.. target];
        target.Clear();
        List<PathElement?> liveIds = [.. live.Select(item => ObjectFields.ItemElement(item, strategy))];
        List<PathElement?> appliedIds = [.. applied.Select(item => ObjectFields.ItemElement(item, strategy))];
        bool[] consumed = new bool[live.Count];

        int liveIndex = 0, appliedIndex = 0;
        while (liveIndex < live.Count || appliedIndex < applied.Count)
        {
            if (liveIndex < live.Count)
            {
                if (consumed[liveIndex])
                {
                    liveIndex++;
                    continue;
                }
                // Not applied (or applied already, for a duplicate): it stays where it is.
                if (liveIds[liveIndex] is null || appliedIds.IndexOf(liveIds[liveIndex], appliedIndex) < 0)
                {
                    target.Add(live[liveIndex++]);
                    continue;
                }
            }
            // The next live item is applied too: the applied items up to it come first, in the applied order.
            JsonNode? appliedItem = applied[appliedIndex];
            int match = liveIds.IndexOf(appliedIds[appliedIndex++]);
            if (match >= 0 && !consumed[match])
            {
                consumed[match] = true;
                target.Add(live[match] is JsonObject liveObject && appliedItem is JsonObject appliedObject
                    ? MergeObject(liveObject, appliedObject, names, schema)
                    : live[match]);
            }
            else
            {
                target.Add(appliedItem is null ? null : Fresh(appliedItem, names, schema));
            }
        }
        return target;
    }
}
