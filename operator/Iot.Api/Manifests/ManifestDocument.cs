using System.Text.Json.Nodes;

namespace Iot.Api.Manifests;

/// <summary>One YAML document of a manifest file, as JSON, with the line of every field.</summary>
/// <param name="Source">The file (or other origin) the document came from.</param>
/// <param name="Line">The 1-based line where the document starts.</param>
/// <param name="Content">The document's root object.</param>
/// <param name="FieldLines">The 1-based line of each field path (<c>spec.telemetry[1].type</c>), see <see cref="LineOf"/>.</param>
public sealed record ManifestDocument(string Source, int Line, JsonObject Content, IReadOnlyDictionary<string, int> FieldLines)
{
    /// <summary>apiVersion of the object, or empty.</summary>
    public string ApiVersion => Content["apiVersion"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>kind of the object, or empty.</summary>
    public string Kind => Content["kind"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>metadata.name of the object, or empty.</summary>
    public string Name => Content["metadata"]?["name"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    /// <summary>metadata.namespace of the object, or null.</summary>
    public string? Namespace => Content["metadata"]?["namespace"] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>
    /// The line of <paramref name="fieldPath"/>, or of its nearest ancestor present in the file (a missing required field
    /// is reported where its parent is). Map keys may be written <c>a.key</c> or <c>a[key]</c>.
    /// </summary>
    public int LineOf(string fieldPath)
    {
        for (var path = FieldPaths.Normalize(fieldPath); path.Length > 0; path = FieldPaths.Parent(path))
        {
            if (FieldLines.TryGetValue(path, out var line))
            {
                return line;
            }
        }

        return Line;
    }
}
