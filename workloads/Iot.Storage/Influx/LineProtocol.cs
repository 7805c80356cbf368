using System.Globalization;
using System.Text;

using Iot.Storage.TimeSeries;

namespace Iot.Storage.Influx;

/// <summary>
/// InfluxDB line protocol: <c>measurement,tag=value field=value timestamp</c>. Escapes what each position needs
/// (measurement: comma and space; tag keys, tag values and field keys: comma, equals sign and space; string field
/// values: double quote and backslash), writes integers with the <c>i</c> suffix, floats in their shortest round-trip
/// form and timestamps as integers in the write's precision. Tags are written sorted by key, as InfluxDB prefers.
/// </summary>
public static class LineProtocol
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <summary>One point as one line (without the trailing newline).</summary>
    /// <exception cref="ArgumentException">The point cannot be written: no fields, a NaN or infinite float, an empty name, a newline in a name.</exception>
    public static string Encode(InfluxPoint point, InfluxPrecision precision = InfluxPrecision.Nanoseconds)
    {
        var builder = new StringBuilder(128);
        Append(builder, point, precision);
        return builder.ToString();
    }

    /// <summary>Appends one point as one line (without the trailing newline) to <paramref name="builder"/>.</summary>
    /// <exception cref="ArgumentException">The point cannot be written (see <see cref="Encode"/>); nothing is appended then.</exception>
    public static void Append(StringBuilder builder, InfluxPoint point, InfluxPrecision precision = InfluxPrecision.Nanoseconds)
    {
        ArgumentNullException.ThrowIfNull(point);
        var tags = point.Tags.Count == 0 ? [] : point.Tags.Where(t => !string.IsNullOrEmpty(t.Value)).OrderBy(t => t.Key, StringComparer.Ordinal).ToArray();
        Append(builder, point.Measurement, tags!, point.Fields, point.Timestamp, precision);
    }

    /// <summary>The line-protocol form of <paramref name="timestamp"/> in <paramref name="precision"/>.</summary>
    public static long ToEpoch(DateTimeOffset timestamp, InfluxPrecision precision)
    {
        var ticks = timestamp.UtcTicks - UnixEpochTicks;
        return precision switch
        {
            InfluxPrecision.Nanoseconds => ticks * 100,
            InfluxPrecision.Microseconds => ticks / 10,
            InfluxPrecision.Milliseconds => ticks / TimeSpan.TicksPerMillisecond,
            InfluxPrecision.Seconds => ticks / TimeSpan.TicksPerSecond,
            _ => throw new ArgumentOutOfRangeException(nameof(precision)),
        };
    }

    /// <summary>InfluxDB's name for a precision in the <c>precision</c> query parameter.</summary>
    public static string ToParameter(InfluxPrecision precision) => precision switch
    {
        InfluxPrecision.Nanoseconds => "ns",
        InfluxPrecision.Microseconds => "u",
        InfluxPrecision.Milliseconds => "ms",
        InfluxPrecision.Seconds => "s",
        _ => throw new ArgumentOutOfRangeException(nameof(precision)),
    };

    // Tags must already be sorted by key and have non-empty values. Validates before appending anything.
    internal static void Append(
        StringBuilder builder,
        string measurement,
        IReadOnlyList<KeyValuePair<string, string>> tags,
        IReadOnlyDictionary<string, TelemetryValue> fields,
        DateTimeOffset? timestamp,
        InfluxPrecision precision)
    {
        Validate(measurement, tags, fields);
        var start = builder.Length;
        try
        {
            Escape(builder, measurement, escapeEquals: false);
            foreach (var (key, value) in tags)
            {
                builder.Append(',');
                Escape(builder, key, escapeEquals: true);
                builder.Append('=');
                Escape(builder, value, escapeEquals: true);
            }

            var separator = ' ';
            foreach (var (key, value) in fields)
            {
                builder.Append(separator);
                separator = ',';
                Escape(builder, key, escapeEquals: true);
                builder.Append('=');
                AppendValue(builder, key, value);
            }

            if (timestamp is { } time)
            {
                builder.Append(' ').Append(ToEpoch(time, precision));
            }
        }
        catch
        {
            builder.Length = start;
            throw;
        }
    }

    private static void Validate(string measurement, IReadOnlyList<KeyValuePair<string, string>> tags, IReadOnlyDictionary<string, TelemetryValue> fields)
    {
        CheckName(measurement, "measurement");
        foreach (var (key, value) in tags)
        {
            CheckName(key, "tag key");
            if (value.Contains('\n', StringComparison.Ordinal))
            {
                throw new ArgumentException($"The value of tag '{key}' contains a newline, which line protocol cannot carry.");
            }
        }

        if (fields.Count == 0)
        {
            throw new ArgumentException($"A point of measurement '{measurement}' has no fields; InfluxDB needs at least one.");
        }

        foreach (var key in fields.Keys)
        {
            CheckName(key, "field key");
        }
    }

    private static void CheckName(string name, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            throw new ArgumentException($"The {what} is empty.");
        }

        if (name.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException($"The {what} '{name.ReplaceLineEndings(" ")}' contains a newline, which line protocol cannot carry.");
        }
    }

    private static void AppendValue(StringBuilder builder, string key, TelemetryValue value)
    {
        switch (value.Kind)
        {
            case TelemetryValueKind.Number:
                var number = value.AsDouble();
                if (!double.IsFinite(number))
                {
                    throw new ArgumentException($"Field '{key}' is {number.ToString(CultureInfo.InvariantCulture)}; InfluxDB stores only finite floats.");
                }

                builder.Append(number.ToString("R", CultureInfo.InvariantCulture));
                break;
            case TelemetryValueKind.Integer:
                builder.Append(value.AsInteger()).Append('i');
                break;
            case TelemetryValueKind.Boolean:
                builder.Append(value.AsBoolean() ? "true" : "false");
                break;
            default:
                builder.Append('"');
                foreach (var c in value.AsString())
                {
                    if (c is '"' or '\\')
                    {
                        builder.Append('\\');
                    }

                    builder.Append(c);
                }

                builder.Append('"');
                break;
        }
    }

    private static void Escape(StringBuilder builder, string text, bool escapeEquals)
    {
        foreach (var c in text)
        {
            if (c is ',' or ' ' || (escapeEquals && c == '='))
            {
                builder.Append('\\');
            }

            builder.Append(c);
        }
    }
}
