using System.Globalization;
using System.Text.Json.Nodes;

namespace Iot.Api.Schema;

/// <summary>
/// A JSON number kept exactly as a decimal where it fits (so <c>1.0</c> is integral and 0.1 + 0.2 bounds compare exactly),
/// with a double for values beyond decimal's range. <see cref="Text"/> is how it is shown in messages.
/// </summary>
internal readonly record struct JsonNumber(decimal? Exact, double Approximate, string Text)
{
    public bool IsIntegral => Exact is { } exact
        ? decimal.Truncate(exact) == exact
        : double.IsFinite(Approximate) && Math.Floor(Approximate) == Approximate;

    public static bool TryRead(JsonNode? node, out JsonNumber number)
    {
        number = default;
        if (node is not JsonValue value || value.GetValueKind() != System.Text.Json.JsonValueKind.Number)
        {
            return false;
        }

        number = Parse(value.ToJsonString());
        return true;
    }

    public static JsonNumber Parse(string text)
    {
        decimal? exact = decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;
        var approximate = double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
        return new JsonNumber(exact, approximate, text);
    }

    public int CompareTo(JsonNumber other) =>
        Exact is { } a && other.Exact is { } b ? a.CompareTo(b) : Approximate.CompareTo(other.Approximate);

    public bool IsMultipleOf(JsonNumber factor)
    {
        if (Exact is { } a && factor.Exact is { } b && b != 0)
        {
            return a % b == 0;
        }

        var quotient = Approximate / factor.Approximate;
        return double.IsFinite(quotient) && Math.Abs(quotient - Math.Round(quotient)) < 1e-9 * Math.Max(1, Math.Abs(quotient));
    }

    /// <summary>Whether the number is integral and within [<paramref name="min"/>, <paramref name="max"/>].</summary>
    public bool IsIntegerWithin(long min, long max) => IsIntegral && Exact is { } exact && exact >= min && exact <= max;

    public override string ToString() => Text;
}
