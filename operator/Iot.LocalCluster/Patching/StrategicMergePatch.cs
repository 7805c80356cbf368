using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>
/// Kubernetes strategic merge patch for the built-in kinds, following k8s.io/apimachinery/pkg/util/strategicpatch as the
/// API server runs it: objects merge member by member, <c>null</c> deletes a member, lists are replaced unless
/// <see cref="MergeKeyTable"/> gives them a merge key (items merge by key) or makes them a set of primitives (union).
/// The directives <c>$patch</c> (replace, delete, merge), <c>$retainKeys</c>, <c>$setElementOrder/field</c> and
/// <c>$deleteFromPrimitiveList/field</c> are carried out and never left in the result.
/// </summary>
/// <remarks>
/// Deliberate differences from the Go code: <c>$patch: delete</c> on an object member removes the member (Go leaves <c>{}</c>);
/// <c>$patch: merge</c> on an object is accepted as the default; values the original lacks are cleaned of directives and
/// nulls like merged ones (Go copies them verbatim).
/// </remarks>
public static class StrategicMergePatch
{
    public static JsonNode? Apply(JsonNode? original, JsonNode? patch, string kind)
    {
        if (patch is null)
        {
            return original?.DeepClone();
        }
        if (patch is not JsonObject patchObject)
        {
            throw new PatchException("a strategic merge patch must be a JSON object");
        }
        JsonObject target = original is JsonObject originalObject ? originalObject.DeepClone().AsObject() : [];
        return new Merger(kind).MergeObject(target, patchObject, []) ?? [];
    }

    /// <summary>Merges into nodes it owns (clones of the original) and only reads the patch.</summary>
    private sealed class Merger(string kind)
    {
        private const string PatchDirective = "$patch";
        private const string RetainKeysDirective = "$retainKeys";
        private const string SetElementOrderPrefix = "$setElementOrder/";
        private const string DeleteFromPrimitiveListPrefix = "$deleteFromPrimitiveList/";

        /// <summary>Returns the merged object, or null when the patch deletes it.</summary>
        public JsonObject? MergeObject(JsonObject original, JsonObject patch, string[] path)
        {
            if (!patch.TryGetPropertyValue(PatchDirective, out JsonNode? directive))
            {
                return MergeMembers(original, patch, path);
            }
            return DirectiveText(directive, path) switch
            {
                "replace" => MergeMembers([], patch, path),
                "delete" => null,
                "merge" => MergeMembers(original, patch, path),
                string other => throw new PatchException($"unknown {PatchDirective} directive \"{other}\" at {Describe(path)}"),
            };
        }

        private JsonObject MergeMembers(JsonObject original, JsonObject patch, string[] path)
        {
            ApplyRetainKeys(original, patch, path);
            HashSet<string> ordered = ApplyElementOrders(original, patch, path);
            foreach ((string key, JsonNode? value) in patch)
            {
                if (key is PatchDirective or RetainKeysDirective || key.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal) || ordered.Contains(key))
                {
                    continue;
                }
                if (key.StartsWith(DeleteFromPrimitiveListPrefix, StringComparison.Ordinal))
                {
                    DeleteFromPrimitiveList(original, key[DeleteFromPrimitiveListPrefix.Length..], value, path);
                    continue;
                }
                if (key.StartsWith('$'))
                {
                    throw new PatchException($"unknown directive \"{key}\" at {Describe(path)}");
                }
                if (value is null)
                {
                    original.Remove(key);
                    continue;
                }
                string[] childPath = [.. path, key];
                JsonNode? existing = original[key];
                JsonNode? merged = (existing, value) switch
                {
                    (JsonObject existingObject, JsonObject patchObject) => MergeObject(existingObject, patchObject, childPath),
                    (JsonArray existingArray, JsonArray patchArray) => Refill(existingArray, MergeItems(Detach(existingArray), patchArray, childPath)),
                    _ => Fresh(value, childPath),
                };
                if (merged is null)
                {
                    original.Remove(key);
                }
                else if (!ReferenceEquals(merged, existing))
                {
                    original[key] = merged;
                }
            }
            return original;
        }

        /// <summary>A patch value the original lacks (or has with another type), cleaned of directives and nulls.</summary>
        private JsonNode? Fresh(JsonNode value, string[] path)
        {
            return value switch
            {
                JsonObject patchObject => MergeObject([], patchObject, path),
                JsonArray patchArray => new JsonArray([.. MergeItems([], patchArray, path)]),
                _ => value.DeepClone(),
            };
        }

        /// <summary>Merges a patch list into the (detached) original items; the result is ordered like the Go code orders it.</summary>
        private List<JsonNode?> MergeItems(List<JsonNode?> original, JsonArray patch, string[] path)
        {
            ListMergeStrategy strategy = MergeKeyTable.For(path, kind);
            if (strategy.Kind == ListMergeKind.Replace)
            {
                return [.. patch.Select(item => item?.DeepClone())];
            }
            bool objects = ItemsAreObjects(original, patch, path);
            if (!objects)
            {
                // Primitives union, whatever the merge key (as in Go).
                List<JsonNode?> union = DistinctItems(original.Concat(patch.Select(item => item?.DeepClone())));
                return NormalizeOrder(union, [.. patch], original, mergeKey: null);
            }
            string mergeKey = strategy.MergeKey ?? throw new PatchException($"the list at {Describe(path)} cannot be merged: its items are objects but it has no merge key");

            List<JsonNode?> patchItems = [];
            foreach (JsonNode? item in patch)
            {
                JsonObject patchItem = item!.AsObject();
                if (!patchItem.TryGetPropertyValue(PatchDirective, out JsonNode? directive))
                {
                    patchItems.Add(patchItem);
                    continue;
                }
                switch (DirectiveText(directive, path))
                {
                    case "delete":
                        JsonNode? key = MergeKeyOf(patchItem, mergeKey, path);
                        original.RemoveAll(candidate => JsonNode.DeepEquals(MergeKeyOf(candidate, mergeKey, path), key));
                        break;
                    case "replace":
                        // The other items become the whole list.
                        return [.. patch.Where(other => other is JsonObject o && !o.ContainsKey(PatchDirective)).Select(other => Fresh(other!, path)).Where(other => other is not null)];
                    case string other:
                        throw new PatchException($"the {PatchDirective} directive \"{other}\" is not allowed in the list items at {Describe(path)}");
                }
            }

            List<JsonNode?> serverOrder = [.. original];
            List<JsonNode?> merged = [.. original];
            foreach (JsonNode? item in patchItems)
            {
                JsonObject patchItem = item!.AsObject();
                JsonNode? key = MergeKeyOf(patchItem, mergeKey, path);
                int index = merged.FindIndex(candidate => JsonNode.DeepEquals(MergeKeyOf(candidate, mergeKey, path), key));
                if (index < 0)
                {
                    merged.Add(Fresh(patchItem, path));
                }
                else
                {
                    merged[index] = MergeObject(merged[index]!.AsObject(), patchItem, path);
                }
            }
            return NormalizeOrder([.. merged.Where(item => item is not null)], patchItems, serverOrder, mergeKey);
        }

        private static void ApplyRetainKeys(JsonObject original, JsonObject patch, string[] path)
        {
            if (!patch.TryGetPropertyValue(RetainKeysDirective, out JsonNode? retainNode))
            {
                return;
            }
            if (retainNode is not JsonArray retainArray || retainArray.Any(key => key is not JsonValue value || !value.TryGetValue(out string? _)))
            {
                throw new PatchException($"{RetainKeysDirective} at {Describe(path)} must be a list of field names");
            }
            HashSet<string> retained = [.. retainArray.Select(key => key!.GetValue<string>())];
            foreach ((string key, JsonNode? value) in patch)
            {
                if (value is not null && !key.StartsWith('$') && !retained.Contains(key))
                {
                    throw new PatchException($"{RetainKeysDirective} at {Describe(path)} does not list \"{key}\", which the patch sets");
                }
            }
            foreach (string key in original.Select(member => member.Key).Where(key => !retained.Contains(key)).ToList())
            {
                original.Remove(key);
            }
        }

        /// <summary>Merges every list that has a <c>$setElementOrder</c> directive and orders it; returns the fields it handled.</summary>
        private HashSet<string> ApplyElementOrders(JsonObject original, JsonObject patch, string[] path)
        {
            HashSet<string> handled = [];
            foreach ((string directiveKey, JsonNode? directiveValue) in patch)
            {
                if (!directiveKey.StartsWith(SetElementOrderPrefix, StringComparison.Ordinal))
                {
                    continue;
                }
                string field = directiveKey[SetElementOrderPrefix.Length..];
                string[] fieldPath = [.. path, field];
                JsonArray order = directiveValue as JsonArray ?? throw new PatchException($"{directiveKey} at {Describe(path)} must be a list");
                JsonArray? originalList = ListMember(original, field, fieldPath);
                JsonArray? patchList = ListMember(patch, field, fieldPath);
                ListMergeStrategy strategy = MergeKeyTable.For(fieldPath, kind);
                if ((originalList is null && patchList is null) || strategy.Kind == ListMergeKind.Replace)
                {
                    // Nothing to order, or a list the patch replaces whole (in its own order) in the member loop.
                    continue;
                }
                string? mergeKey = strategy.Kind == ListMergeKind.MergeByKey && ItemsAreObjects([.. originalList ?? []], patchList ?? [], fieldPath) ? strategy.MergeKey : null;
                if (patchList is not null)
                {
                    ValidateOrder(patchList, order, mergeKey, fieldPath);
                }

                List<JsonNode?> serverOrder = originalList is null ? [] : Detach(originalList);
                List<JsonNode?> serverOrderSnapshot = [.. serverOrder.Select(item => item?.DeepClone())];
                List<JsonNode?> merged = patchList is null ? serverOrder : MergeItems(serverOrder, patchList, fieldPath);
                original[field] = new JsonArray([.. NormalizeOrder(merged, [.. order], serverOrderSnapshot, mergeKey)]);
                handled.Add(field);
            }
            return handled;
        }

        /// <summary>
        /// Items named in <paramref name="patchOrder"/> come in that order; the others keep their relative order from
        /// <paramref name="serverOrder"/> and are slotted in where the server order puts them (Go's normalizeElementOrder).
        /// </summary>
        private static List<JsonNode?> NormalizeOrder(List<JsonNode?> merged, List<JsonNode?> patchOrder, List<JsonNode?> serverOrder, string? mergeKey)
        {
            List<JsonNode?> patchKeys = [.. patchOrder.Select(item => Identity(item, mergeKey))];
            List<JsonNode?> serverKeys = [.. serverOrder.Select(item => Identity(item, mergeKey))];
            List<JsonNode?> inPatch = [.. merged.Where(item => IndexOf(patchKeys, Identity(item, mergeKey)) >= 0)
                .OrderBy(item => IndexOf(patchKeys, Identity(item, mergeKey)))];
            List<JsonNode?> serverOnly = [.. merged.Where(item => IndexOf(patchKeys, Identity(item, mergeKey)) < 0)
                .OrderBy(item => IndexOf(serverKeys, Identity(item, mergeKey)) is int index && index >= 0 ? index : int.MaxValue)];

            // Go's mergeSortedSlice: a server-only item goes first only when the server order puts it before the next patch item.
            List<JsonNode?> result = new(merged.Count);
            int left = 0, right = 0;
            while (left < serverOnly.Count || right < inPatch.Count)
            {
                bool takeLeft = right >= inPatch.Count
                    || (left < serverOnly.Count
                        && IndexOf(serverKeys, Identity(serverOnly[left], mergeKey)) is int leftIndex and >= 0
                        && IndexOf(serverKeys, Identity(inPatch[right], mergeKey)) is int rightIndex and >= 0
                        && leftIndex < rightIndex);
                result.Add(takeLeft ? serverOnly[left++] : inPatch[right++]);
            }
            return result;
        }

        /// <summary>The items of the patch list must appear in the <c>$setElementOrder</c> list, in the same relative order.</summary>
        private static void ValidateOrder(JsonArray patchList, JsonArray order, string? mergeKey, string[] path)
        {
            List<JsonNode?> items = [.. patchList.Where(item => item is not JsonObject o || !o.ContainsKey(PatchDirective))];
            int itemIndex = 0;
            for (int orderIndex = 0; orderIndex < order.Count && itemIndex < items.Count; orderIndex++)
            {
                if (JsonNode.DeepEquals(RequiredIdentity(items[itemIndex], mergeKey, path), RequiredIdentity(order[orderIndex], mergeKey, path)))
                {
                    itemIndex++;
                }
            }
            if (itemIndex < items.Count)
            {
                throw new PatchException($"the order of the list at {Describe(path)} does not match its {SetElementOrderPrefix}{path[^1]} list");
            }
        }

        private static void DeleteFromPrimitiveList(JsonObject original, string field, JsonNode? values, string[] path)
        {
            if (values is not JsonArray toDelete)
            {
                throw new PatchException($"{DeleteFromPrimitiveListPrefix}{field} at {Describe(path)} must be a list");
            }
            if (original[field] is JsonArray list)
            {
                List<JsonNode?> kept = [.. Detach(list).Where(item => !toDelete.Any(value => JsonNode.DeepEquals(value, item)))];
                Refill(list, kept);
            }
        }

        private static JsonArray? ListMember(JsonObject parent, string field, string[] path)
        {
            return parent[field] switch
            {
                null => null,
                JsonArray list => list,
                _ => throw new PatchException($"{Describe(path)} must be a list to be ordered by {SetElementOrderPrefix}{field}"),
            };
        }

        /// <summary>True when the items are objects, false when primitives; mixed items and lists of lists are errors.</summary>
        private static bool ItemsAreObjects(IEnumerable<JsonNode?> original, JsonArray patch, string[] path)
        {
            List<JsonNode?> all = [.. original, .. patch];
            if (all.Any(item => item is JsonArray))
            {
                throw new PatchException($"the list at {Describe(path)} contains lists, which cannot be merged");
            }
            int objects = all.Count(item => item is JsonObject);
            if (objects > 0 && objects < all.Count)
            {
                throw new PatchException($"the items of the list at {Describe(path)} are not all of the same type");
            }
            return objects > 0;
        }

        private static JsonNode? MergeKeyOf(JsonNode? item, string mergeKey, string[] path)
        {
            return item is JsonObject obj && obj.TryGetPropertyValue(mergeKey, out JsonNode? key) && key is not null
                ? key
                : throw new PatchException($"an item of the list at {Describe(path)} lacks its merge key \"{mergeKey}\"");
        }

        private static JsonNode? RequiredIdentity(JsonNode? item, string? mergeKey, string[] path)
        {
            return mergeKey is null ? item : MergeKeyOf(item, mergeKey, path);
        }

        private static JsonNode? Identity(JsonNode? item, string? mergeKey) => mergeKey is null ? item : item?[mergeKey];

        private static int IndexOf(List<JsonNode?> keys, JsonNode? key) => keys.FindIndex(candidate => JsonNode.DeepEquals(candidate, key));

        private static List<JsonNode?> DistinctItems(IEnumerable<JsonNode?> items)
        {
            List<JsonNode?> distinct = [];
            foreach (JsonNode? item in items)
            {
                if (IndexOf(distinct, item) < 0)
                {
                    distinct.Add(item);
                }
            }
            return distinct;
        }

        private static string DirectiveText(JsonNode? directive, string[] path)
        {
            return directive is JsonValue value && value.TryGetValue(out string? text)
                ? text
                : throw new PatchException($"the {PatchDirective} directive at {Describe(path)} must be a string");
        }

        /// <summary>Takes the items out of <paramref name="list"/> so they can be placed in another order or another list.</summary>
        private static List<JsonNode?> Detach(JsonArray list)
        {
            List<JsonNode?> items = [.. list];
            list.Clear();
            return items;
        }

        private static JsonArray Refill(JsonArray list, List<JsonNode?> items)
        {
            list.Clear();
            foreach (JsonNode? item in items)
            {
                list.Add(item);
            }
            return list;
        }

        private static string Describe(string[] path) => path.Length == 0 ? "the top level" : "." + string.Join('.', path);
    }
}
