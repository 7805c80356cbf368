using System.Globalization;

using Iot.Storage.TimeSeries;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Http;

/// <summary>
/// Parses the time parameters of the API: instants as ISO-8601 (<c>2026-01-01T00:00:00Z</c>, UTC when there is no offset), <c>now</c> or
/// <c>now-&lt;duration&gt;</c> (<c>now-24h</c>); durations as in the custom resources (<c>5m</c>, <c>1h30m</c>, <c>7d</c>).
/// </summary>
internal static class TimeParameters
{
    public const string InstantForm = "an ISO-8601 time (2026-01-01T00:00:00Z; UTC without an offset), 'now' or 'now-<duration>' (now-24h)";

    /// <summary>[from, to): <paramref name="to"/> defaults to now, <paramref name="from"/> to <paramref name="defaultSpan"/> before it.</summary>
    public static (DateTimeOffset From, DateTimeOffset To) Range(string? from, string? to, TimeSpan defaultSpan, DateTimeOffset now, RequestProblems problems)
    {
        var end = now;
        if (to is not null)
        {
            if (TryParseInstant(to, now, out var parsed))
            {
                end = parsed;
            }
            else
            {
                problems.Add("to", $"'{to}' is not {InstantForm}");
            }
        }

        var start = end - defaultSpan;
        if (from is not null)
        {
            if (TryParseInstant(from, now, out var parsed))
            {
                start = parsed;
            }
            else
            {
                problems.Add("from", $"'{from}' is not {InstantForm}");
            }
        }

        if (!problems.Any && start >= end)
        {
            problems.Add("from", $"from ({start:O}) must be before to ({end:O})");
        }

        return (start, end);
    }

    /// <summary>A positive duration, or null when absent; a bad one is a problem.</summary>
    public static TimeSpan? Duration(string name, string? text, RequestProblems problems)
    {
        if (text is null)
        {
            return null;
        }

        if (!ApiDuration.TryParse(text, out var value) || value <= TimeSpan.Zero)
        {
            problems.Add(name, ApiDuration.Describe(text) + ", greater than zero");
            return null;
        }

        return value;
    }

    /// <summary>An aggregate function name (mean, min, max, sum, count), <paramref name="fallback"/> when absent.</summary>
    public static AggregateFunction Aggregate(string? text, AggregateFunction fallback, RequestProblems problems)
    {
        if (text is null)
        {
            return fallback;
        }

        if (Enum.TryParse<AggregateFunction>(text, ignoreCase: true, out var function) && Enum.IsDefined(function) && !char.IsDigit(text[0]))
        {
            return function;
        }

        problems.Add("aggregate", $"'{text}' is not an aggregate; use mean, min, max, sum or count");
        return fallback;
    }

    public static bool TryParseInstant(string text, DateTimeOffset now, out DateTimeOffset value)
    {
        value = default;
        if (text == "now")
        {
            value = now;
            return true;
        }

        if (text.StartsWith("now-", StringComparison.Ordinal))
        {
            if (ApiDuration.TryParse(text[4..], out var ago) && ago < now - DateTimeOffset.UnixEpoch)
            {
                value = now - ago;
                return true;
            }

            return false;
        }

        // A time without an offset is UTC, never the server's zone.
        return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
