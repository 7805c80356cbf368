using System.Globalization;
using System.Text;

namespace Iot.Storage.Influx;

/// <summary>
/// Writing InfluxQL safely: identifiers, string literals and durations in the form influxd itself prints them, so that
/// statements built here compare equal to what <c>SHOW CONTINUOUS QUERIES</c> returns.
/// </summary>
public static class InfluxQL
{
    // InfluxQL's keywords (influxql/token.go, 1.x): an identifier spelled like one must be quoted.
    private static readonly HashSet<string> Keywords = new(StringComparer.OrdinalIgnoreCase)
    {
        "ALL", "ALTER", "ANALYZE", "AND", "ANY", "AS", "ASC", "BEGIN", "BY", "CARDINALITY", "CREATE", "CONTINUOUS",
        "DATABASE", "DATABASES", "DEFAULT", "DELETE", "DESC", "DESTINATIONS", "DIAGNOSTICS", "DISTINCT", "DROP",
        "DURATION", "END", "EVERY", "EXACT", "EXPLAIN", "FALSE", "FIELD", "FOR", "FROM", "GRANT", "GRANTS", "GROUP",
        "GROUPS", "IN", "INF", "INSERT", "INTO", "KEY", "KEYS", "KILL", "LIMIT", "MEASUREMENT", "MEASUREMENTS", "NAME",
        "OFFSET", "ON", "OR", "ORDER", "PASSWORD", "POLICIES", "POLICY", "PRIVILEGES", "QUERIES", "QUERY", "READ",
        "REPLICATION", "RESAMPLE", "RETENTION", "REVOKE", "SELECT", "SERIES", "SET", "SHARD", "SHARDS", "SHOW",
        "SLIMIT", "SOFFSET", "STATS", "SUBSCRIPTION", "SUBSCRIPTIONS", "TAG", "TO", "TRUE", "USER", "USERS", "VALUES",
        "WHERE", "WITH", "WRITE",
    };

    /// <summary>
    /// An identifier (database, retention policy, measurement, field, tag or query name) as influxd prints it: bare when
    /// it is a plain word (<c>ns1</c>, <c>x_5m</c>), double-quoted with <c>"</c> and <c>\</c> escaped otherwise
    /// (<c>"lab-1_raw"</c>, <c>"default"</c>). Always safe to splice into a statement.
    /// </summary>
    public static string Identifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return NeedsQuotes(name) ? QuotedIdentifier(name) : name;
    }

    /// <summary>An identifier, always double-quoted, with <c>"</c> and <c>\</c> escaped.</summary>
    public static string QuotedIdentifier(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return Quote(name, '"');
    }

    /// <summary>A string literal (tag values in WHERE clauses): single-quoted, with <c>'</c> and <c>\</c> escaped.</summary>
    public static string StringLiteral(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return Quote(value, '\'');
    }

    /// <summary>A time literal: the instant as integer nanoseconds since the epoch (<c>time &gt;= 1700000000000000000</c>).</summary>
    public static string TimeLiteral(DateTimeOffset time) => LineProtocol.ToEpoch(time, InfluxPrecision.Nanoseconds).ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// A duration literal as influxd prints it in statements: the largest unit of w, d, h, m, s, ms, u that divides it
    /// exactly (7 days is <c>1w</c>, 90 minutes <c>90m</c>), <c>INF</c> for <see cref="TimeSpan.Zero"/> and
    /// <see cref="Timeout.InfiniteTimeSpan"/> (infinite retention).
    /// </summary>
    public static string Duration(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero || duration == Timeout.InfiniteTimeSpan)
        {
            return "INF";
        }

        return DurationLiteral(duration);
    }

    /// <summary>
    /// Parses a duration as influxd returns it from SHOW (<c>168h0m0s</c>, <c>1h30m0s</c>, <c>500ms</c>, <c>0s</c>) or
    /// as written in InfluxQL (<c>7d</c>, <c>1w</c>, <c>INF</c>). <c>0s</c> and <c>INF</c> (infinite) are <see cref="TimeSpan.Zero"/>.
    /// </summary>
    /// <exception cref="FormatException">Not a duration.</exception>
    public static TimeSpan ParseDuration(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Equals("INF", StringComparison.OrdinalIgnoreCase))
        {
            return TimeSpan.Zero;
        }

        if (text.Length == 0)
        {
            throw new FormatException("An empty duration.");
        }

        // Go prints durations as a sum of parts, each a decimal number and a unit ("1h30m0s", "1.5s", "500ms").
        var total = 0m;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.'))
            {
                i++;
            }

            var unitStart = i;
            while (i < text.Length && !char.IsAsciiDigit(text[i]))
            {
                i++;
            }

            if (start == unitStart || unitStart == i ||
                !decimal.TryParse(text.AsSpan(start, unitStart - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var amount))
            {
                throw new FormatException($"'{text}' is not a duration (like 168h0m0s, 7d or INF).");
            }

            total += amount * (text[unitStart..i] switch
            {
                "ns" => 0.01m,
                "u" or "µ" or "us" => 10,
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                "h" => TimeSpan.TicksPerHour,
                "d" => TimeSpan.TicksPerDay,
                "w" => 7 * TimeSpan.TicksPerDay,
                var unit => throw new FormatException($"'{text}' has an unknown duration unit '{unit}'."),
            });
        }

        return TimeSpan.FromTicks((long)total);
    }

    internal static string DurationLiteral(TimeSpan duration)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "A duration must be positive.");
        }

        var ticks = duration.Ticks;
        foreach (var (unit, size) in Units)
        {
            if (ticks % size == 0)
            {
                return (ticks / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(duration), duration, "InfluxQL durations are whole microseconds.");
    }

    private static readonly (string Unit, long Ticks)[] Units =
    [
        ("w", 7 * TimeSpan.TicksPerDay), ("d", TimeSpan.TicksPerDay), ("h", TimeSpan.TicksPerHour), ("m", TimeSpan.TicksPerMinute),
        ("s", TimeSpan.TicksPerSecond), ("ms", TimeSpan.TicksPerMillisecond), ("u", 10),
    ];

    private static bool NeedsQuotes(string name)
    {
        if (Keywords.Contains(name))
        {
            return true;
        }

        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            var ok = char.IsAsciiLetter(c) || c == '_' || (i > 0 && char.IsAsciiDigit(c));
            if (!ok)
            {
                return true;
            }
        }

        return false;
    }

    private static string Quote(string text, char quote)
    {
        var builder = new StringBuilder(text.Length + 2).Append(quote);
        foreach (var c in text)
        {
            if (c == quote || c == '\\')
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }

        return builder.Append(quote).ToString();
    }
}
