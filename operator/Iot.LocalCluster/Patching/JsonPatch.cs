using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>
/// JSON Patch (RFC 6902): a list of add, remove, replace, move, copy and test operations applied in order.
/// The patch is atomic: the first failing operation fails the whole patch, naming its index and path.
/// </summary>
public static class JsonPatch
{
    public static JsonNode? Apply(JsonNode? target, JsonArray operations)
    {
        JsonNode? document = target?.DeepClone();
        for (int index = 0; index < operations.Count; index++)
        {
            if (operations[index] is not JsonObject operation)
            {
                throw new PatchException($"JSON patch operation {index} is not an object");
            }
            try
            {
                string op = RequiredString(operation, "op");
                string path = RequiredString(operation, "path");
                document = op switch
                {
                    "add" => Add(document, JsonPointer.Parse(path), RequiredValue(operation)?.DeepClone()),
                    "remove" => Remove(document, JsonPointer.Parse(path), out _),
                    "replace" => Replace(document, JsonPointer.Parse(path), RequiredValue(operation)?.DeepClone()),
                    "move" => Move(document, RequiredString(operation, "from"), path),
                    "copy" => Add(document, JsonPointer.Parse(path), Get(document, JsonPointer.Parse(RequiredString(operation, "from")))?.DeepClone()),
                    "test" => Test(document, JsonPointer.Parse(path), RequiredValue(operation)),
                    _ => throw new PatchException($"unknown operation \"{op}\""),
                };
            }
            catch (PatchException e)
            {
                throw new PatchException($"JSON patch operation {index}{Summary(operation)} failed: {e.Message}");
            }
        }
        return document;
    }

    private static JsonNode? Add(JsonNode? document, IReadOnlyList<string> tokens, JsonNode? value)
    {
        if (tokens.Count == 0)
        {
            return value;
        }
        string last = tokens[^1];
        switch (Parent(document, tokens))
        {
            case JsonObject obj:
                obj[last] = value;
                break;
            case JsonArray array when last == JsonPointer.AppendToken:
                array.Add(value);
                break;
            case JsonArray array:
                array.Insert(Index(array, last, allowEnd: true), value);
                break;
            default:
                throw new PatchException("the parent of the path is neither an object nor an array");
        }
        return document;
    }

    private static JsonNode? Remove(JsonNode? document, IReadOnlyList<string> tokens, out JsonNode? removed)
    {
        if (tokens.Count == 0)
        {
            throw new PatchException("the whole document cannot be removed");
        }
        string last = tokens[^1];
        switch (Parent(document, tokens))
        {
            case JsonObject obj when obj.TryGetPropertyValue(last, out removed):
                obj.Remove(last);
                break;
            case JsonArray array:
                int index = Index(array, last, allowEnd: false);
                removed = array[index];
                array.RemoveAt(index);
                break;
            default:
                throw new PatchException("the path does not exist");
        }
        return document;
    }

    private static JsonNode? Replace(JsonNode? document, IReadOnlyList<string> tokens, JsonNode? value)
    {
        // Removing first checks that the target exists; adding at the same place then keeps array positions.
        return tokens.Count == 0 ? value : Add(Remove(document, tokens, out _), tokens, value);
    }

    private static JsonNode? Move(JsonNode? document, string from, string path)
    {
        if (path.StartsWith(from + "/", StringComparison.Ordinal))
        {
            throw new PatchException($"a value cannot be moved into its own child (from \"{from}\")");
        }
        IReadOnlyList<string> fromTokens = JsonPointer.Parse(from);
        if (from == path)
        {
            _ = Get(document, fromTokens);
            return document;
        }
        document = Remove(document, fromTokens, out JsonNode? value);
        return Add(document, JsonPointer.Parse(path), value);
    }

    private static JsonNode? Test(JsonNode? document, IReadOnlyList<string> tokens, JsonNode? expected)
    {
        JsonNode? actual = Get(document, tokens);
        if (!JsonNode.DeepEquals(actual, expected))
        {
            throw new PatchException($"test failed: the value is {Show(actual)}, not {Show(expected)}");
        }
        return document;
    }

    private static JsonNode? Get(JsonNode? document, IReadOnlyList<string> tokens)
    {
        return JsonPointer.TryGet(document, tokens, out JsonNode? value)
            ? value
            : throw new PatchException($"the path \"{string.Concat(tokens.Select(t => "/" + JsonPointer.Escape(t)))}\" does not exist");
    }

    private static JsonNode? Parent(JsonNode? document, IReadOnlyList<string> tokens)
    {
        return JsonPointer.TryGet(document, [.. tokens.Take(tokens.Count - 1)], out JsonNode? parent)
            ? parent
            : throw new PatchException("the parent of the path does not exist");
    }

    private static int Index(JsonArray array, string token, bool allowEnd)
    {
        int limit = allowEnd ? array.Count : array.Count - 1;
        return JsonPointer.TryParseIndex(token, out int index) && index <= limit
            ? index
            : throw new PatchException($"\"{token}\" is not an index of the array of {array.Count} elements");
    }

    private static string RequiredString(JsonObject operation, string member)
    {
        return operation[member] is JsonValue value && value.TryGetValue(out string? text)
            ? text
            : throw new PatchException($"the operation lacks the string member \"{member}\"");
    }

    /// <summary>e.g. <c> (remove "/spec/replicas")</c>, as far as the operation names them.</summary>
    private static string Summary(JsonObject operation)
    {
        return (operation["op"], operation["path"]) switch
        {
            (JsonValue op, JsonValue path) when op.TryGetValue(out string? opText) && path.TryGetValue(out string? pathText) => $" ({opText} \"{pathText}\")",
            _ => "",
        };
    }

    // "value": null is a value; only a missing member is an error.
    private static JsonNode? RequiredValue(JsonObject operation)
    {
        return operation.TryGetPropertyValue("value", out JsonNode? value) ? value : throw new PatchException("the operation lacks \"value\"");
    }

    private static string Show(JsonNode? node) => node?.ToJsonString() ?? "null";
}
