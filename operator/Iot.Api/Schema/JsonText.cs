using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.Api.Schema;

/// <summary>How JSON values appear in messages: compact JSON, readable (no \u escapes), shortened when long.</summary>
internal static class JsonText
{
    private const int MaxLength = 80;

    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Render(JsonNode? value)
    {
        if (value is null)
        {
            return "null";
        }

        if (value is JsonValue scalar && scalar.TryGetValue<string>(out var text))
        {
            return Quote(text);
        }

        var json = value.ToJsonString(Readable);
        return json.Length <= MaxLength ? json : json[..(MaxLength - 3)] + "...";
    }

    public static string Quote(string text) =>
        JsonValue.Create(text.Length <= MaxLength ? text : text[..(MaxLength - 3)] + "...").ToJsonString(Readable);

    /// <summary>Renders a schema-side value (enum member) the way the API server lists supported values: always quoted.</summary>
    public static string QuoteElement(JsonElement element) =>
        Quote(element.ValueKind == JsonValueKind.String ? element.GetString()! : JsonSnapshot.ToNode(element)?.ToJsonString(Readable) ?? "null");

    /// <summary>The JSON type of a value as named in type errors; integral numbers are "integer".</summary>
    public static string TypeOf(JsonNode? value) => value?.GetValueKind() switch
    {
        null or JsonValueKind.Null => "null",
        JsonValueKind.Object => "object",
        JsonValueKind.Array => "array",
        JsonValueKind.String => "string",
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => JsonNumber.TryRead(value, out var number) && number.IsIntegral ? "integer" : "number",
    };
}
