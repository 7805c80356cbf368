using System.Text.RegularExpressions;

namespace Iot.Notify.Routing;

/// <summary>Labels written as <c>name=value,name=value</c> (a value may be double-quoted to hold commas), as <c>routes test</c> takes them.</summary>
public static partial class LabelSet
{
    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelName();

    /// <summary>Parses <paramref name="text"/>; false with a message naming the bad item.</summary>
    public static bool TryParse(string? text, out IReadOnlyDictionary<string, string> labels, out string error)
    {
        var parsed = new Dictionary<string, string>(StringComparer.Ordinal);
        labels = parsed;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        foreach (var item in Split(text))
        {
            var equals = item.IndexOf('=', StringComparison.Ordinal);
            var name = equals < 0 ? item.Trim() : item[..equals].Trim();
            if (equals < 0 || !LabelName().IsMatch(name))
            {
                error = $"\"{item}\" is not name=value (names are [a-zA-Z_][a-zA-Z0-9_]*)";
                return false;
            }

            var value = item[(equals + 1)..].Trim();
            if (value.Length >= 2 && value[0] == '"' && value[^1] == '"')
            {
                value = value[1..^1].Replace("\\\"", "\"", StringComparison.Ordinal);
            }

            if (!parsed.TryAdd(name, value))
            {
                error = $"label \"{name}\" is given twice";
                return false;
            }
        }

        return true;
    }

    private static IEnumerable<string> Split(string text)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '"' && (i == 0 || text[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (text[i] == ',' && !quoted)
            {
                yield return text[start..i];
                start = i + 1;
            }
        }

        yield return text[start..];
    }
}
