using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.Api.Schema;

/// <summary>
/// Converts between mutable JSON nodes and immutable <see cref="JsonElement"/> snapshots. Schema-owned values are stored as
/// snapshots so concurrent <c>StructuralSchema.Apply</c> calls never share (or lazily initialize) a node.
/// </summary>
internal static class JsonSnapshot
{
    public static JsonElement Take(JsonNode? node)
    {
        using var document = JsonDocument.Parse(node?.ToJsonString() ?? "null");
        return document.RootElement.Clone();
    }

    /// <summary>A fresh node for the snapshot, owned by the caller (defaults are never shared between objects).</summary>
    public static JsonNode? ToNode(JsonElement snapshot) => JsonNode.Parse(snapshot.GetRawText());

    /// <summary>Whether <paramref name="value"/> equals one of <paramref name="members"/> as JSON (numbers by value: 1 equals 1.0), as the API server compares enum members.</summary>
    public static bool IsOneOf(JsonNode value, IReadOnlyList<JsonElement> members)
    {
        if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
        {
            return members.Any(member => member.ValueKind == JsonValueKind.String && member.ValueEquals(text));
        }

        var snapshot = Take(value);
        return members.Any(member => JsonElement.DeepEquals(snapshot, member));
    }
}
