using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Storage;

/// <summary>One term of a field selector: a dotted path into the object, equal or not equal to a value.</summary>
internal sealed record FieldRequirement(string Path, bool MustEqual, string Value)
{
    private readonly string[] _segments = Path.Split('.');

    public bool Matches(JsonObject obj) => string.Equals(ValueAt(obj), Value, StringComparison.Ordinal) == MustEqual;

    // A missing field compares as "", like an unset string field in Kubernetes.
    private string ValueAt(JsonObject obj)
    {
        JsonNode? node = obj;
        foreach (var segment in _segments)
        {
            node = node is JsonObject parent ? parent[segment] : null;
        }

        return node switch
        {
            null => "",
            JsonValue value when value.GetValueKind() == JsonValueKind.String => value.GetValue<string>(),
            _ => node.ToJsonString(),
        };
    }
}
