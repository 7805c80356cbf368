using System.Globalization;
using System.Text.RegularExpressions;

namespace Iot.Api.Schema;

/// <summary>
/// The <c>format</c> values this validator checks: <c>date-time</c> (RFC 3339) on strings, <c>int32</c> and <c>int64</c>
/// ranges on numbers. The API server knows more formats (uuid, hostname, ...); those are accepted unchecked here.
/// </summary>
internal static partial class FormatChecks
{
    [GeneratedRegex(@"^([0-9]{4})-([0-9]{2})-([0-9]{2})[Tt]([0-9]{2}):([0-9]{2}):([0-9]{2})(\.[0-9]+)?([Zz]|[+-][0-9]{2}:[0-9]{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex Rfc3339();

    /// <summary>Why <paramref name="text"/> does not satisfy string format <paramref name="format"/>, or null if it does.</summary>
    public static string? CheckString(string format, string text) => format switch
    {
        "date-time" when !IsDateTime(text) => "must be of type date-time (RFC 3339, e.g. 2024-01-31T12:00:00Z)",
        _ => null,
    };

    /// <summary>Why <paramref name="number"/> does not satisfy numeric format <paramref name="format"/>, or null if it does.</summary>
    public static string? CheckNumber(string format, JsonNumber number) => format switch
    {
        "int32" when !number.IsIntegerWithin(int.MinValue, int.MaxValue) => $"must fit in int32 ({int.MinValue} to {int.MaxValue})",
        "int64" when !number.IsIntegerWithin(long.MinValue, long.MaxValue) => $"must fit in int64 ({long.MinValue} to {long.MaxValue})",
        _ => null,
    };

    private static bool IsDateTime(string text)
    {
        var match = Rfc3339().Match(text);
        if (!match.Success)
        {
            return false;
        }

        int Part(int group) => int.Parse(match.Groups[group].Value, CultureInfo.InvariantCulture);
        var (year, month, day, hour, minute, second) = (Part(1), Part(2), Part(3), Part(4), Part(5), Part(6));
        return month is >= 1 and <= 12
            && day >= 1 && day <= DateTime.DaysInMonth(Math.Max(year, 1), month)
            && hour <= 23 && minute <= 59 && second <= 60 // 60: leap second, which RFC 3339 allows
            && OffsetIsValid(match.Groups[8].Value);
    }

    private static bool OffsetIsValid(string offset) =>
        offset.Length == 1 || (int.Parse(offset[1..3], CultureInfo.InvariantCulture) <= 23 && int.Parse(offset[4..6], CultureInfo.InvariantCulture) <= 59);
}
