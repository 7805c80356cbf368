using System.Globalization;
using System.Text;

namespace Iot.Rules.Actions;

/// <summary>
/// A summary, description or topic with placeholders <c>{device}</c>, <c>{room}</c>, <c>{rule}</c>, <c>{field}</c> and
/// <c>{value}</c>, split once when the rule is compiled. Other text in braces is kept as written; a placeholder
/// without a value (no room, no field, no value) renders empty.
/// </summary>
internal sealed class PlaceholderTemplate
{
    private static readonly string[] Names = ["device", "room", "rule", "field", "value"];

    // Literal text, or (when Placeholder >= 0) the index of a name in Names.
    private readonly (string Text, int Placeholder)[] _parts;

    private PlaceholderTemplate((string, int)[] parts) => _parts = parts;

    public static PlaceholderTemplate Parse(string text)
    {
        var parts = new List<(string, int)>();
        var literal = new StringBuilder();
        var position = 0;
        while (position < text.Length)
        {
            var placeholder = text[position] == '{' ? MatchAt(text, position) : -1;
            if (placeholder < 0)
            {
                literal.Append(text[position++]);
                continue;
            }

            if (literal.Length > 0)
            {
                parts.Add((literal.ToString(), -1));
                literal.Clear();
            }

            parts.Add(("", placeholder));
            position += Names[placeholder].Length + 2;
        }

        if (literal.Length > 0)
        {
            parts.Add((literal.ToString(), -1));
        }

        return new PlaceholderTemplate([.. parts]);
    }

    public string Render(string device, string? room, string rule, string? field, double? value)
    {
        var text = new StringBuilder();
        foreach (var (literal, placeholder) in _parts)
        {
            text.Append(placeholder switch
            {
                < 0 => literal,
                0 => device,
                1 => room,
                2 => rule,
                3 => field,
                _ => value is { } v ? FormatValue(v) : null,
            });
        }

        return text.ToString();
    }

    /// <summary>A value as people read it: at most three decimals, invariant culture (21.457, 30, -0.5).</summary>
    public static string FormatValue(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    private static int MatchAt(string text, int open)
    {
        for (var i = 0; i < Names.Length; i++)
        {
            var name = Names[i];
            var close = open + name.Length + 1;
            if (close < text.Length && text[close] == '}' && string.CompareOrdinal(text, open + 1, name, 0, name.Length) == 0)
            {
                return i;
            }
        }

        return -1;
    }
}
