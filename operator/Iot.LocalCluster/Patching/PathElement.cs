using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>One step of a field path, as managedFields write it (<c>f:spec</c>, <c>k:{"name":"web"}</c>, <c>v:"x"</c>, <c>i:0</c>).</summary>
/// <param name="Kind">The step type.</param>
/// <param name="Text">The field name, the canonical JSON of the key object or set value, or the index.</param>
internal readonly record struct PathElement(PathElementKind Kind, string Text) : IComparable<PathElement>
{
    public static PathElement Field(string name) => new(PathElementKind.Field, name);

    /// <summary>The keyed-list item whose key fields have these values; fields are sorted so equal keys have equal text.</summary>
    public static PathElement Key(IEnumerable<KeyValuePair<string, JsonNode?>> keyFields)
    {
        JsonObject key = [];
        foreach ((string name, JsonNode? value) in keyFields.OrderBy(field => field.Key, StringComparer.Ordinal))
        {
            key[name] = value?.DeepClone();
        }
        return new(PathElementKind.Key, CanonicalJson.Write(key));
    }

    public static PathElement Value(JsonNode? value) => new(PathElementKind.Value, CanonicalJson.Write(value));

    public static PathElement Index(int index) => new(PathElementKind.Index, index.ToString(CultureInfo.InvariantCulture));

    /// <summary>The FieldsV1 member name, e.g. <c>f:spec</c>.</summary>
    public string Serialized => Prefix + Text;

    /// <summary>The step in the notation of conflict messages: <c>.image</c>, <c>[name="web"]</c>, <c>[="x"]</c>, <c>[0]</c>.</summary>
    public string Display => Kind switch
    {
        PathElementKind.Field => "." + Text,
        PathElementKind.Key => "[" + string.Join(",", KeyFields().Select(keyField => $"{keyField.Key}={CanonicalJson.Write(keyField.Value)}")) + "]",
        PathElementKind.Value => "[=" + Text + "]",
        _ => "[" + Text + "]",
    };

    private string Prefix => Kind switch
    {
        PathElementKind.Field => "f:",
        PathElementKind.Key => "k:",
        PathElementKind.Value => "v:",
        _ => "i:",
    };

    /// <summary>The key field names and values of a <see cref="PathElementKind.Key"/> step.</summary>
    public JsonObject KeyFields() => JsonNode.Parse(Text)!.AsObject();

    /// <summary>Reads a FieldsV1 member name; keys and values are rewritten canonically.</summary>
    public static PathElement Parse(string serialized)
    {
        string text = serialized.Length >= 2 && serialized[1] == ':' ? serialized[2..] : throw Malformed(serialized);
        try
        {
            return serialized[0] switch
            {
                'f' => Field(text),
                'k' when JsonNode.Parse(text) is JsonObject key => Key(key),
                'v' => Value(JsonNode.Parse(text)),
                'i' when int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int index) => Index(index),
                _ => throw Malformed(serialized),
            };
        }
        catch (JsonException)
        {
            throw Malformed(serialized);
        }
    }

    public int CompareTo(PathElement other) => Kind != other.Kind ? Kind.CompareTo(other.Kind) : string.CompareOrdinal(Text, other.Text);

    private static PatchException Malformed(string serialized) => new($"\"{serialized}\" is not a managedFields path element");
}
