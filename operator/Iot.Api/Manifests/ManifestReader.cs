using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Iot.Api.Manifests;

/// <summary>
/// Reads multi-document YAML (or JSON) manifests into JSON objects, remembering the line of every field so errors
/// can point into the file. Plain scalars resolve as in the YAML 1.2 core schema (null, booleans, integers, floats);
/// quoted scalars are strings.
/// </summary>
public static partial class ManifestReader
{
    /// <summary>Reads every document of the file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<ManifestDocument> ReadFile(string path) => Read(File.ReadAllText(path), path);

    /// <summary>Reads every non-empty document of <paramref name="text"/>; <paramref name="source"/> names it in errors.</summary>
    /// <exception cref="ManifestException">The text is not YAML, or a document is not an object.</exception>
    public static IReadOnlyList<ManifestDocument> Read(string text, string source)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException e)
        {
            var reason = Regex.Replace((e.InnerException as YamlException)?.Message ?? e.Message, @"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\): ", "");
            reason = Regex.Replace(reason, "^Duplicate key (.*)$", "duplicate key \"$1\"");
            throw new ManifestException(source, (int)e.Start.Line, $"invalid YAML: {reason}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way when the text ends inside a flow collection.
            throw new ManifestException(source, text.TrimEnd().Split('\n').Length, "invalid YAML: the document ends inside a '[...]' or '{...}'; is a bracket left open?");
        }

        var documents = new List<ManifestDocument>();
        foreach (var document in stream.Documents)
        {
            var root = document.RootNode;
            if (root is YamlScalarNode { Value: null or "" } || root is null)
            {
                continue; // an empty document, e.g. after a trailing ---
            }

            if (root is not YamlMappingNode)
            {
                throw new ManifestException(source, (int)root.Start.Line, "a manifest document must be an object (a YAML mapping)");
            }

            var lines = new Dictionary<string, int>();
            var content = (JsonObject)Convert(root, "", lines, source)!;
            documents.Add(new ManifestDocument(source, (int)root.Start.Line, content, lines));
        }

        return documents;
    }

    private static JsonNode? Convert(YamlNode node, string path, Dictionary<string, int> lines, string source)
    {
        switch (node)
        {
            case YamlMappingNode mapping:
                var obj = new JsonObject();
                foreach (var (keyNode, valueNode) in mapping.Children)
                {
                    if (keyNode is not YamlScalarNode { Value: { } key })
                    {
                        throw new ManifestException(source, (int)keyNode.Start.Line, "mapping keys must be strings");
                    }

                    if (obj.ContainsKey(key))
                    {
                        throw new ManifestException(source, (int)keyNode.Start.Line, $"duplicate key \"{key}\"");
                    }

                    var child = FieldPaths.Child(path, key);
                    lines[child] = (int)keyNode.Start.Line;
                    obj[key] = Convert(valueNode, child, lines, source);
                }

                return obj;
            case YamlSequenceNode sequence:
                var array = new JsonArray();
                for (var i = 0; i < sequence.Children.Count; i++)
                {
                    var child = FieldPaths.Child(path, i.ToString(CultureInfo.InvariantCulture));
                    lines[child] = (int)sequence.Children[i].Start.Line;
                    array.Add(Convert(sequence.Children[i], child, lines, source));
                }

                return array;
            case YamlScalarNode scalar:
                return Scalar(scalar);
            default:
                throw new ManifestException(source, (int)node.Start.Line, $"unsupported YAML node {node.NodeType}");
        }
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        var tag = scalar.Tag.IsEmpty ? null : scalar.Tag.Value;
        if (tag is "tag:yaml.org,2002:str" || scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(value);
        }

        if (value is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (value is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (value is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
        {
            return JsonValue.Create(whole);
        }

        if (value.StartsWith("0x", StringComparison.Ordinal) && long.TryParse(value[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var hex))
        {
            return JsonValue.Create(hex);
        }

        if (Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(value);
    }

    [GeneratedRegex("^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
}
