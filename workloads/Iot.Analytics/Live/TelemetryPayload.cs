using System.Globalization;
using System.Text.Json;

using Iot.Storage.TimeSeries;

namespace Iot.Analytics.Live;

/// <summary>One telemetry message's instant and scalar fields.</summary>
public sealed record TelemetryReading(DateTimeOffset Timestamp, IReadOnlyDictionary<string, TelemetryValue> Fields);

/// <summary>
/// Reads a telemetry payload (DESIGN.md §5): <c>{"device_id":…,"timestamp":"ISO-8601","data":{…}}</c> (the seed's
/// client), or a flat JSON object of fields. The instant is <c>ts</c> (epoch milliseconds) or <c>timestamp</c>
/// (ISO-8601), else the receive time. Fields are the scalar members (numbers, booleans, strings); integral numbers
/// written without a fraction or exponent are integers. Nested objects and arrays are not fields and are skipped
/// (ingest rejects them for devices with a schema; analytics only reads).
/// </summary>
public static class TelemetryPayload
{
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 8 };

    /// <summary>Parses <paramref name="json"/>; false with the reason when it is not a telemetry object or has no fields.</summary>
    public static bool TryParse(ReadOnlyMemory<byte> json, DateTimeOffset receivedAt, out TelemetryReading reading, out string error)
    {
        reading = null!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, Options);
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message;
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                error = $"a telemetry payload is a JSON object, not {root.ValueKind.ToString().ToLowerInvariant()}";
                return false;
            }

            if (!TryTimestamp(root, receivedAt, out var timestamp, out error))
            {
                return false;
            }

            var flat = !(root.TryGetProperty("data", out var nested) && nested.ValueKind == JsonValueKind.Object);
            var fields = new Dictionary<string, TelemetryValue>(StringComparer.Ordinal);
            foreach (var property in (flat ? root : nested).EnumerateObject())
            {
                if (flat && property.Name is "ts" or "timestamp" or "device_id")
                {
                    continue;
                }

                if (Scalar(property.Value) is { } value)
                {
                    fields[property.Name] = value;
                }
            }

            if (fields.Count == 0)
            {
                error = "the payload has no scalar fields";
                return false;
            }

            reading = new TelemetryReading(timestamp, fields);
            error = "";
            return true;
        }
    }

    private static bool TryTimestamp(JsonElement root, DateTimeOffset receivedAt, out DateTimeOffset timestamp, out string error)
    {
        timestamp = receivedAt;
        error = "";
        if (root.TryGetProperty("ts", out var ts))
        {
            if (ts.ValueKind == JsonValueKind.Number && ts.TryGetInt64(out var milliseconds) && milliseconds is >= 0 and < 253_402_300_800_000)
            {
                timestamp = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
                return true;
            }

            error = $"'ts' must be epoch milliseconds, got {ts.GetRawText()}";
            return false;
        }

        if (root.TryGetProperty("timestamp", out var text))
        {
            if (text.ValueKind == JsonValueKind.String
                && DateTimeOffset.TryParse(text.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out timestamp))
            {
                return true;
            }

            error = $"'timestamp' must be an ISO-8601 time, got {text.GetRawText()}";
            return false;
        }

        return true;
    }

    private static TelemetryValue? Scalar(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Number when IsIntegral(value) && value.TryGetInt64(out var integer) => TelemetryValue.Integer(integer),
        JsonValueKind.Number when value.TryGetDouble(out var number) && double.IsFinite(number) => TelemetryValue.Number(number),
        JsonValueKind.True => TelemetryValue.Boolean(true),
        JsonValueKind.False => TelemetryValue.Boolean(false),
        JsonValueKind.String => TelemetryValue.String(value.GetString()!),
        _ => (TelemetryValue?)null,
    };

    private static bool IsIntegral(JsonElement number) => number.GetRawText().AsSpan().IndexOfAny('.', 'e', 'E') < 0;
}
