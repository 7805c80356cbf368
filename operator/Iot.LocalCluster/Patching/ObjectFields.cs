using System.Globalization;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>The fields of a JSON object as field paths: which paths an object sets, and reading or removing the value at a path.</summary>
internal static class ObjectFields
{
    /// <summary>
    /// The paths <paramref name="obj"/> sets, as server-side apply counts them: every primitive, null, empty object, atomic list
    /// and atomic map is a member; so is every item of a keyed list (its fields too) and every value of a set.
    /// Server-owned fields are left out.
    /// </summary>
    /// <param name="obj">The object.</param>
    /// <param name="schema">Its structure.</param>
    /// <param name="strict">True for an applied configuration: keyed list items must carry their key, once. Stored objects are read leniently.</param>
    public static FieldSet Of(JsonObject obj, ApplySchema schema, bool strict)
    {
        List<FieldPath> members = [];
        WalkObject(obj, FieldPath.Root, [], schema, strict, members);
        return new(members);
    }

    /// <summary>The path element of a list item: <c>k:</c> in a keyed list, <c>v:</c> in a set; null for an item without its key.</summary>
    public static PathElement? ItemElement(JsonNode? item, ListMergeStrategy strategy)
    {
        if (strategy.Kind == ListMergeKind.PrimitiveSet)
        {
            return PathElement.Value(item);
        }
        string key = strategy.MergeKey!;
        return item is JsonObject obj && obj[key] is JsonNode keyValue ? PathElement.Key([new(key, keyValue)]) : null;
    }

    /// <summary>Finds the value at <paramref name="path"/>; a member holding <c>null</c> is found, a missing one is not.</summary>
    public static bool TryGet(JsonNode? root, FieldPath path, out JsonNode? value)
    {
        value = root;
        foreach (PathElement element in path.Elements)
        {
            if (!TryStep(value, element, out value, out _))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>
    /// Removes the field or list item at <paramref name="path"/>, then the objects and lists that removal emptied, up to the
    /// nearest list item, unless <paramref name="keep"/> holds their path.
    /// </summary>
    public static void Remove(JsonObject root, FieldPath path, FieldSet keep)
    {
        while (path.Length > 0 && TryGet(root, path.Parent, out JsonNode? parent) && TryStep(parent, path.Last, out _, out int index))
        {
            switch (parent)
            {
                case JsonObject obj:
                    obj.Remove(path.Last.Text);
                    break;
                case JsonArray array:
                    array.RemoveAt(index);
                    break;
            }
            bool emptied = parent is JsonObject { Count: 0 } or JsonArray { Count: 0 };
            path = path.Parent;
            if (!emptied || path.Length == 0 || path.Last.Kind != PathElementKind.Field || keep.Contains(path))
            {
                return;
            }
        }
    }

    private static bool TryStep(JsonNode? node, PathElement element, out JsonNode? child, out int index)
    {
        child = null;
        index = -1;
        switch (element.Kind, node)
        {
            case (PathElementKind.Field, JsonObject obj):
                return obj.TryGetPropertyValue(element.Text, out child);
            case (PathElementKind.Key, JsonArray array):
                JsonObject keyFields = element.KeyFields();
                index = array.ToList().FindIndex(item => item is JsonObject candidate && keyFields.All(
                    keyField => candidate.TryGetPropertyValue(keyField.Key, out JsonNode? value) && JsonNode.DeepEquals(value, keyField.Value)));
                break;
            case (PathElementKind.Value, JsonArray array):
                JsonNode? wanted = JsonNode.Parse(element.Text);
                index = array.ToList().FindIndex(item => JsonNode.DeepEquals(item, wanted));
                break;
            case (PathElementKind.Index, JsonArray array):
                index = int.Parse(element.Text, CultureInfo.InvariantCulture);
                index = index < array.Count ? index : -1;
                break;
        }
        if (index < 0)
        {
            return false;
        }
        child = node!.AsArray()[index];
        return true;
    }

    private static void WalkObject(JsonObject obj, FieldPath path, string[] names, ApplySchema schema, bool strict, List<FieldPath> members)
    {
        foreach ((string key, JsonNode? value) in obj)
        {
            string[] childNames = [.. names, key];
            if (!ApplySchema.IsServerOwned(childNames))
            {
                WalkValue(value, path.Append(PathElement.Field(key)), childNames, schema, strict, members);
            }
        }
    }

    private static void WalkValue(JsonNode? value, FieldPath path, string[] names, ApplySchema schema, bool strict, List<FieldPath> members)
    {
        switch (value)
        {
            case JsonObject obj when obj.Count > 0 && !schema.IsAtomicMap(names):
                WalkObject(obj, path, names, schema, strict, members);
                break;
            case JsonArray array when schema.ListAt(names) is { Kind: not ListMergeKind.Replace } strategy:
                WalkItems(array, path, names, strategy, schema, strict, members);
                break;
            default:
                members.Add(path);
                break;
        }
    }

    private static void WalkItems(JsonArray array, FieldPath path, string[] names, ListMergeStrategy strategy, ApplySchema schema, bool strict, List<FieldPath> members)
    {
        HashSet<PathElement> seen = [];
        foreach (JsonNode? item in array)
        {
            PathElement? element = ItemElement(item, strategy);
            if (element is null)
            {
                // A stored object may hold odd items; they are simply not tracked.
                if (strict)
                {
                    throw new PatchException($"every item of {path} must be an object with the key field \"{strategy.MergeKey}\"");
                }
                continue;
            }
            if (!seen.Add(element.Value))
            {
                if (strict)
                {
                    throw new PatchException($"{path} has more than one item {element.Value.Display}");
                }
                continue;
            }
            FieldPath itemPath = path.Append(element.Value);
            members.Add(itemPath);
            if (item is JsonObject itemObject)
            {
                WalkObject(itemObject, itemPath, names, schema, strict, members);
            }
        }
    }
}
