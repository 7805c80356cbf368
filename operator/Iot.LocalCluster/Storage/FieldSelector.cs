using System.Text;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Storage;

/// <summary>
/// A parsed field selector (<c>path=value</c>, <c>path==value</c>, <c>path!=value</c>, comma-separated, with <c>\,</c>, <c>\=</c>
/// and <c>\\</c> escapes in values), parsed as k8s.io/apimachinery/pkg/fields does. Any dotted path into the object is accepted.
/// </summary>
internal sealed class FieldSelector
{
    public static readonly FieldSelector Everything = new([]);

    // Longest first, so "a!=b" is not read as "a!" = "b".
    private static readonly (string Text, bool MustEqual)[] Operators = [("!=", false), ("==", true), ("=", true)];

    private FieldSelector(IReadOnlyList<FieldRequirement> requirements)
    {
        Requirements = requirements;
    }

    public IReadOnlyList<FieldRequirement> Requirements { get; }

    /// <summary>Parses a field selector; throws a 400 BadRequest <see cref="ApiException"/> when it is malformed.</summary>
    public static FieldSelector Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Everything;
        }

        var requirements = new List<FieldRequirement>();
        foreach (var term in SplitTerms(text))
        {
            if (term.Length == 0)
            {
                continue;
            }

            var (path, mustEqual, rawValue) = SplitTerm(term)
                ?? throw ApiException.BadRequest($"invalid selector: '{text}'; can't understand '{term}'");
            requirements.Add(new FieldRequirement(path, mustEqual, Unescape(rawValue)));
        }

        return new FieldSelector(requirements);
    }

    public bool Matches(JsonObject obj)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(obj))
            {
                return false;
            }
        }

        return true;
    }

    // Splits on commas that are not escaped.
    private static List<string> SplitTerms(string text)
    {
        var terms = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
            }
            else if (text[i] == ',')
            {
                terms.Add(text[start..i].Trim());
                start = i + 1;
            }
        }

        terms.Add(text[start..].Trim());
        return terms;
    }

    private static (string Path, bool MustEqual, string Value)? SplitTerm(string term)
    {
        for (var i = 0; i < term.Length; i++)
        {
            foreach (var (op, mustEqual) in Operators)
            {
                if (term.AsSpan(i).StartsWith(op, StringComparison.Ordinal))
                {
                    var path = term[..i].Trim();
                    return path.Length == 0 ? null : (path, mustEqual, term[(i + op.Length)..].Trim());
                }
            }
        }

        return null;
    }

    private static string Unescape(string value)
    {
        var result = new StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\\')
            {
                if (i + 1 == value.Length || value[i + 1] is not ('\\' or ',' or '='))
                {
                    var sequence = i + 1 == value.Length ? "\\" : value.Substring(i, 2);
                    throw ApiException.BadRequest($"invalid field selector: invalid escape sequence: {sequence}");
                }

                result.Append(value[++i]);
            }
            else if (c is ',' or '=')
            {
                throw ApiException.BadRequest($"invalid field selector: unescaped character in value: {c}");
            }
            else
            {
                result.Append(c);
            }
        }

        return result.ToString();
    }
}
