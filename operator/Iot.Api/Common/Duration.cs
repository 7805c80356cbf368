using System.Globalization;
using System.Text.RegularExpressions;

namespace Iot.Api.Common;

/// <summary>
/// Durations as Kubernetes and Prometheus users write them: one or more <c>&lt;integer&gt;&lt;unit&gt;</c>
/// terms with units ms, s, m, h, d (24h) and w (7d), largest first, e.g. <c>30s</c>, <c>5m</c>, <c>1h30m</c>, <c>7d</c>.
/// </summary>
public static partial class Duration
{
    /// <summary>The OpenAPI pattern every duration field carries.</summary>
    public const string Pattern = "^([0-9]+(ms|s|m|h|d|w))+$";

    private static readonly (string Unit, TimeSpan Size)[] Units =
    [
        ("w", TimeSpan.FromDays(7)), ("d", TimeSpan.FromDays(1)), ("h", TimeSpan.FromHours(1)),
        ("m", TimeSpan.FromMinutes(1)), ("s", TimeSpan.FromSeconds(1)), ("ms", TimeSpan.FromMilliseconds(1)),
    ];

    [GeneratedRegex("([0-9]+)(ms|s|m|h|d|w)")]
    private static partial Regex Term();

    /// <summary>Parses <paramref name="text"/>; false when it is not a duration as described above.</summary>
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var position = 0;
        var lastRank = -1;
        foreach (Match match in Term().Matches(text))
        {
            if (match.Index != position)
            {
                return false;
            }

            var rank = Array.FindIndex(Units, u => u.Unit == match.Groups[2].Value);
            if (rank <= lastRank || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count))
            {
                return false; // units must be largest first and appear once, as in 1h30m
            }

            try
            {
                value = checked(value + Units[rank].Size * count);
            }
            catch (OverflowException)
            {
                return false;
            }

            lastRank = rank;
            position += match.Length;
        }

        return position == text.Length;
    }

    /// <summary>Parses <paramref name="text"/> or throws <see cref="FormatException"/> naming the accepted form.</summary>
    public static TimeSpan Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException(Describe(text));

    /// <summary>The message for a value that is not a duration.</summary>
    public static string Describe(string? text) =>
        $"'{text}' is not a duration; use an integer with a unit ms, s, m, h, d or w, largest first, e.g. 30s, 5m, 1h30m, 7d";

    /// <summary>Formats <paramref name="value"/> in the same notation, e.g. 90 minutes as <c>1h30m</c>.</summary>
    public static string Format(TimeSpan value)
    {
        if (value <= TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new System.Text.StringBuilder();
        foreach (var (unit, size) in Units)
        {
            var count = value.Ticks / size.Ticks;
            if (count > 0)
            {
                text.Append(count.ToString(CultureInfo.InvariantCulture)).Append(unit);
                value -= size * count;
            }
        }

        return text.ToString();
    }
}
