using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Iot.LocalCluster.Http;

/// <summary>
/// The JSONPath subset printer columns use: <c>.a.b</c>, <c>[0]</c>, <c>[*]</c> and filters <c>[?(@.type=="Ready")]</c>.
/// </summary>
internal static partial class JsonPathQuery
{
    [GeneratedRegex(@"\.([A-Za-z0-9_\-]+)|\[(\d+)\]|\[\*\]|\[\?\(@\.([A-Za-z0-9_.\-]+)\s*==\s*[""']([^""']*)[""']\)\]")]
    private static partial Regex Step();

    public static IReadOnlyList<JsonNode> Select(JsonNode root, string path)
    {
        var current = new List<JsonNode> { root };
        var text = path.Trim().TrimStart('{').TrimEnd('}');
        foreach (Match step in Step().Matches(text))
        {
            var next = new List<JsonNode>();
            foreach (var node in current)
            {
                if (step.Groups[1].Success)
                {
                    if (node is JsonObject o && o[step.Groups[1].Value] is { } child)
                    {
                        next.Add(child);
                    }
                }
                else if (step.Groups[2].Success)
                {
                    if (node is JsonArray a && int.Parse(step.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) is var i && i < a.Count && a[i] is { } item)
                    {
                        next.Add(item);
                    }
                }
                else if (step.Groups[3].Success)
                {
                    if (node is JsonArray a)
                    {
                        next.AddRange(a.OfType<JsonNode>().Where(item => Select(item, "." + step.Groups[3].Value).FirstOrDefault()?.ToString() == step.Groups[4].Value));
                    }
                }
                else if (node is JsonArray all)
                {
                    next.AddRange(all.OfType<JsonNode>());
                }
            }

            current = next;
        }

        return current;
    }
}
