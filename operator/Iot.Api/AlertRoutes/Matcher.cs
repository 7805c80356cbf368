using System.Text;
using System.Text.RegularExpressions;

namespace Iot.Api.AlertRoutes;

/// <summary>How a <see cref="Matcher"/> compares a label's value.</summary>
public enum MatchOperator
{
    /// <summary><c>=</c>: equal.</summary>
    Equal,

    /// <summary><c>!=</c>: not equal.</summary>
    NotEqual,

    /// <summary><c>=~</c>: matches the (anchored) regular expression.</summary>
    Regex,

    /// <summary><c>!~</c>: does not match the (anchored) regular expression.</summary>
    NotRegex,
}

/// <summary>
/// An Alertmanager label matcher: <c>name op value</c> with op one of <c>= != =~ !~</c>; the value is double-quoted
/// (escapes <c>\"</c>, <c>\\</c>, <c>\n</c>) or bare. Regular expressions are anchored at both ends, as in Alertmanager.
/// A label that is absent has the empty value, so <c>team=""</c> matches alerts without a team.
/// Examples: <c>severity="critical"</c>, <c>room=~"lab-.*"</c>, <c>team!=facilities</c>.
/// </summary>
public sealed partial record Matcher
{
    private readonly Regex? regex;

    private Matcher(string name, MatchOperator type, string value, Regex? regex)
    {
        Name = name;
        Type = type;
        Value = value;
        this.regex = regex;
    }

    /// <summary>The label name.</summary>
    public string Name { get; }

    /// <summary>The comparison.</summary>
    public MatchOperator Type { get; }

    /// <summary>The value or regular expression.</summary>
    public string Value { get; }

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*")]
    private static partial Regex LabelName();

    /// <summary>Parses one matcher; false with a message (saying at which column) when it is malformed.</summary>
    public static bool TryParse(string text, out Matcher? matcher, out string error)
    {
        matcher = null;
        error = "";
        var s = text.Trim();
        var offset = text.Length - text.TrimStart().Length;
        if (s.StartsWith('{'))
        {
            error = "write one matcher per list item, without braces, e.g. severity=\"critical\"";
            return false;
        }

        var name = LabelName().Match(s);
        if (!name.Success)
        {
            error = s.Length == 0 ? "the matcher is empty" : $"column {offset + 1}: expected a label name ([a-zA-Z_][a-zA-Z0-9_]*) at '{s}'";
            return false;
        }

        var rest = s[name.Length..].TrimStart();
        var column = offset + 1 + s.Length - rest.Length;
        (MatchOperator type, int length)? op = rest switch
        {
            _ when rest.StartsWith("=~", StringComparison.Ordinal) => (MatchOperator.Regex, 2),
            _ when rest.StartsWith("!~", StringComparison.Ordinal) => (MatchOperator.NotRegex, 2),
            _ when rest.StartsWith("!=", StringComparison.Ordinal) => (MatchOperator.NotEqual, 2),
            _ when rest.StartsWith('=') => (MatchOperator.Equal, 1),
            _ => null,
        };
        if (op is null)
        {
            error = $"column {column}: expected an operator =, !=, =~ or !~ after '{name.Value}'";
            return false;
        }

        var raw = rest[op.Value.length..].TrimStart();
        column = offset + 1 + s.Length - raw.Length;
        string value;
        if (raw.StartsWith('"'))
        {
            if (!TryUnquote(raw, out value, out var end))
            {
                error = $"column {column}: unterminated quoted value";
                return false;
            }

            if (end != raw.Length)
            {
                error = $"column {column + end}: unexpected '{raw[end..]}' after the quoted value";
                return false;
            }
        }
        else if (raw.StartsWith('=') || raw.StartsWith('~'))
        {
            error = $"column {column}: unexpected '{raw[0]}': the operators are =, !=, =~ and !~ (there is no ==)";
            return false;
        }
        else
        {
            if (raw.IndexOfAny(['"', ',', '{', '}']) is var bad and >= 0)
            {
                error = $"column {column + bad}: unexpected '{raw[bad]}' in an unquoted value; quote the value";
                return false;
            }

            value = raw.TrimEnd();
        }

        Regex? compiled = null;
        if (op.Value.type is MatchOperator.Regex or MatchOperator.NotRegex)
        {
            try
            {
                compiled = new Regex($"^(?:{value})$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            }
            catch (ArgumentException e)
            {
                error = $"column {column}: invalid regular expression \"{value}\": {e.Message}";
                return false;
            }
        }

        matcher = new Matcher(name.Value, op.Value.type, value, compiled);
        return true;
    }

    /// <summary>Parses one matcher or throws <see cref="FormatException"/> saying what is wrong.</summary>
    public static Matcher Parse(string text) =>
        TryParse(text, out var matcher, out var error) ? matcher! : throw new FormatException($"invalid matcher '{text}': {error}");

    /// <summary>Whether the labels satisfy this matcher (an absent label has the empty value).</summary>
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var actual = labels.GetValueOrDefault(Name) ?? "";
        return Type switch
        {
            MatchOperator.Equal => actual == Value,
            MatchOperator.NotEqual => actual != Value,
            MatchOperator.Regex => regex!.IsMatch(actual),
            _ => !regex!.IsMatch(actual),
        };
    }

    /// <inheritdoc />
    public override string ToString()
    {
        var op = Type switch { MatchOperator.Equal => "=", MatchOperator.NotEqual => "!=", MatchOperator.Regex => "=~", _ => "!~" };
        return $"{Name}{op}\"{Value.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n")}\"";
    }

    private static bool TryUnquote(string raw, out string value, out int end)
    {
        var text = new StringBuilder();
        for (var i = 1; i < raw.Length; i++)
        {
            switch (raw[i])
            {
                case '"':
                    value = text.ToString();
                    end = i + 1;
                    return true;
                case '\\' when i + 1 < raw.Length:
                    i++;
                    text.Append(raw[i] == 'n' ? '\n' : raw[i]);
                    break;
                default:
                    text.Append(raw[i]);
                    break;
            }
        }

        value = "";
        end = raw.Length;
        return false;
    }
}
