using System.Globalization;
using System.Text.Json;

using Iot.Api.Devices;
using Iot.Ingest.Devices;
using Iot.Rules.Telemetry;

namespace Iot.Ingest.Telemetry;

/// <summary>
/// Parses and validates telemetry payloads (DESIGN.md §5) against a Device's schema in one pass over the UTF-8 JSON.
/// </summary>
/// <remarks>
/// <para>Two shapes: the seed client's envelope <c>{"device_id":…,"timestamp":"ISO-8601","data":{fields}}</c>, or a
/// flat object of fields. In both, <c>device_id</c>, <c>ts</c> (epoch milliseconds) and <c>timestamp</c> (ISO-8601;
/// a number is taken as epoch milliseconds) are metadata, not fields; without <c>ts</c> or <c>timestamp</c> the message
/// gets its receive time. With an object <c>data</c>, fields are only inside it.</para>
/// <para>Fields: a Device with a telemetry schema accepts only its fields, with their type (an integer field takes a
/// whole number, a number field any number) within min and max; a Device without one accepts any scalar, numbers as
/// 64-bit floats (so that one field keeps one InfluxDB type whatever a message spells). <c>time</c> and the tag names
/// <c>device</c>, <c>room</c> and <c>type</c> are never fields: InfluxDB refuses the first and confuses the others.</para>
/// </remarks>
internal static class TelemetryParser
{
    private const int MaxDepth = 16;
    private const int StackNameLength = 128;

    // InfluxDB 1.x stores nanoseconds since the epoch in an int64: about 1677-09-21 to 2262-04-11.
    private static readonly DateTimeOffset EarliestTime = DateTimeOffset.UnixEpoch.AddTicks(long.MinValue / 100 + 1);
    private static readonly DateTimeOffset LatestTime = DateTimeOffset.UnixEpoch.AddTicks(long.MaxValue / 100 - 1);

    /// <summary>A message (MQTT): one JSON object.</summary>
    public static ParsedTelemetry ParseMessage(ReadOnlySpan<byte> json, DeviceProfile device, DateTimeOffset receivedAt) =>
        Parse(json, device, receivedAt, allowArray: false);

    /// <summary>An HTTP body: one JSON object, or an array of them.</summary>
    public static ParsedTelemetry ParseBatch(ReadOnlySpan<byte> json, DeviceProfile device, DateTimeOffset receivedAt) =>
        Parse(json, device, receivedAt, allowArray: true);

    private static ParsedTelemetry Parse(ReadOnlySpan<byte> json, DeviceProfile device, DateTimeOffset receivedAt, bool allowArray)
    {
        var parsed = new ParsedTelemetry();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = MaxDepth });
        try
        {
            if (!reader.Read())
            {
                return Malformed("the payload is empty");
            }

            if (reader.TokenType == JsonTokenType.StartObject)
            {
                ParseObject(ref reader, device, receivedAt, null, parsed);
            }
            else if (allowArray && reader.TokenType == JsonTokenType.StartArray)
            {
                var index = 0;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        ParseObject(ref reader, device, receivedAt, index, parsed);
                    }
                    else
                    {
                        reader.Skip();
                        parsed.Errors.Add(new TelemetryError(RejectionReasons.MalformedJson, null, $"element {index} is {Describe(reader.TokenType)}, not a telemetry object", index));
                    }

                    index++;
                }

                if (index == 0)
                {
                    parsed.Errors.Add(new TelemetryError(RejectionReasons.NoFields, null, "the array holds no messages"));
                }
            }
            else
            {
                return Malformed($"a telemetry message is a JSON object{(allowArray ? " or an array of them" : "")}, not {Describe(reader.TokenType)}");
            }

            // Anything after the value is an error the reader reports (it reads one top-level value only).
            while (reader.Read())
            {
            }
        }
        catch (JsonException e)
        {
            return Malformed(e.Message);
        }

        return parsed;
    }

    private static ParsedTelemetry Malformed(string detail) =>
        ParsedTelemetry.Failed(new TelemetryError(RejectionReasons.MalformedJson, null, detail));

    // The reader is on the object's StartObject; it ends on its EndObject.
    private static void ParseObject(ref Utf8JsonReader reader, DeviceProfile device, DateTimeOffset receivedAt, int? index, ParsedTelemetry parsed)
    {
        var errors = new List<TelemetryError>();
        var top = new List<FieldValue>(8);
        var topErrors = new List<TelemetryError>();
        List<string>? topNames = null;
        List<FieldValue>? data = null;
        string? deviceId = null;
        DateTimeOffset? timestamp = null;
        Span<char> nameBuffer = stackalloc char[StackNameLength];
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("device_id"u8))
            {
                reader.Read();
                if (reader.TokenType == JsonTokenType.String)
                {
                    deviceId = reader.GetString();
                }
                else
                {
                    reader.Skip();
                    errors.Add(new TelemetryError(RejectionReasons.TypeMismatch, "device_id", $"device_id must be a string, not {Describe(reader.TokenType)}", index));
                }
            }
            else if (reader.ValueTextEquals("ts"u8) || reader.ValueTextEquals("timestamp"u8))
            {
                var field = reader.ValueTextEquals("ts"u8) ? "ts" : "timestamp";
                reader.Read();
                if (ReadTimestamp(ref reader, field, index, errors) is { } at && (timestamp is null || field == "ts"))
                {
                    timestamp = at;
                }
            }
            else if (reader.ValueTextEquals("data"u8) && data is null && Peek(reader) == JsonTokenType.StartObject)
            {
                reader.Read();
                data = new List<FieldValue>(8);
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    ReadField(ref reader, device, ReadName(ref reader, device, nameBuffer), index, data, errors);
                }
            }
            else
            {
                var name = ReadName(ref reader, device, nameBuffer);
                (topNames ??= []).Add(name);
                ReadField(ref reader, device, name, index, top, topErrors);
            }
        }

        List<FieldValue> fields;
        if (data is not null)
        {
            fields = data;
            foreach (var name in topNames ?? [])
            {
                errors.Add(new TelemetryError(RejectionReasons.UnknownField, name, $"'{name}' is beside 'data'; with a 'data' object, every field goes inside it", index));
            }
        }
        else
        {
            fields = top;
            errors.AddRange(topErrors);
        }

        if (deviceId is not null && deviceId != device.Id)
        {
            errors.Insert(0, new TelemetryError(RejectionReasons.DeviceMismatch, "device_id", $"the message says it is from '{deviceId}', but it came from '{device.Id}'", index));
        }

        if (errors.Count == 0 && fields.Count == 0)
        {
            errors.Add(new TelemetryError(RejectionReasons.NoFields, null, "the message has no fields", index));
        }

        if (errors.Count > 0)
        {
            parsed.Errors.AddRange(errors);
            return;
        }

        parsed.Messages.Add(new ValidatedTelemetry(timestamp ?? receivedAt, [.. fields]));
    }

    // The property name as a string: the schema's own instance when the Device declares the field, so known names cost nothing.
    private static string ReadName(ref Utf8JsonReader reader, DeviceProfile device, scoped Span<char> buffer)
    {
        if (reader.ValueSpan.Length > buffer.Length)
        {
            return reader.GetString()!;
        }

        var name = buffer[..reader.CopyString(buffer)];
        return device.SchemaByName.TryGetValue(name, out var declared) ? declared.Name : new string(name);
    }

    // The reader is on the field's name; it ends on the value's last token. Valid values are added to fields, others to errors.
    private static void ReadField(ref Utf8JsonReader reader, DeviceProfile device, string name, int? index, List<FieldValue> fields, List<TelemetryError> errors)
    {
        reader.Read();
        TelemetryField? spec = null;
        if (IsReserved(name))
        {
            reader.Skip();
            errors.Add(new TelemetryError(RejectionReasons.ReservedField, name, $"'{name}' cannot be a field name: time, device, room and type are reserved for InfluxDB's time column and the point's tags", index));
            return;
        }

        if (name.Length == 0 || name.AsSpan().ContainsAnyInRange('\0', '\x1f'))
        {
            reader.Skip();
            errors.Add(new TelemetryError(RejectionReasons.InvalidFieldName, name, $"'{name.ReplaceLineEndings(" ")}' is not a field name: names are non-empty and have no control characters", index));
            return;
        }

        if (!device.AcceptsAnyField && !device.Schema.TryGetValue(name, out spec))
        {
            reader.Skip();
            errors.Add(new TelemetryError(RejectionReasons.UnknownField, name, $"'{name}' is not in the telemetry schema of device '{device.Id}' (fields: {string.Join(", ", device.Schema.Keys.Order(StringComparer.Ordinal))})", index));
            return;
        }

        foreach (var existing in fields)
        {
            if (existing.Name == name)
            {
                reader.Skip();
                errors.Add(new TelemetryError(RejectionReasons.DuplicateField, name, $"'{name}' appears more than once", index));
                return;
            }
        }

        if (ReadValue(ref reader, name, spec, index, errors) is { } value)
        {
            fields.Add(new FieldValue(spec?.Name ?? name, value));
        }
    }

    private static TelemetryValue? ReadValue(ref Utf8JsonReader reader, string name, TelemetryField? spec, int? index, List<TelemetryError> errors)
    {
        var expected = spec?.Type;
        switch (reader.TokenType)
        {
            case JsonTokenType.Number when expected is null or TelemetryType.Number:
                if (!reader.TryGetDouble(out var number) || !double.IsFinite(number))
                {
                    errors.Add(new TelemetryError(RejectionReasons.OutOfRange, name, $"'{name}' is beyond what a 64-bit float holds", index));
                    return null;
                }

                return InRange(name, number, spec, index, errors) ? TelemetryValue.FromNumber(number) : (TelemetryValue?)null;
            case JsonTokenType.Number when expected is TelemetryType.Integer:
                if (reader.TryGetInt64(out var integer) || TryGetWholeNumber(ref reader, out integer))
                {
                    return InRange(name, integer, spec, index, errors) ? TelemetryValue.FromInteger(integer) : (TelemetryValue?)null;
                }

                errors.Add(new TelemetryError(RejectionReasons.TypeMismatch, name, $"'{name}' must be an integer, not {Spell(ref reader)}", index));
                return null;
            case JsonTokenType.True or JsonTokenType.False when expected is null or TelemetryType.Boolean:
                return TelemetryValue.FromBoolean(reader.TokenType == JsonTokenType.True);
            case JsonTokenType.String when expected is null or TelemetryType.String:
                return TelemetryValue.FromString(reader.GetString()!);
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                var kind = Describe(reader.TokenType);
                reader.Skip();
                errors.Add(new TelemetryError(RejectionReasons.TypeMismatch, name, $"'{name}' is {kind}; telemetry fields are {(expected is { } type ? Name(type) : "scalars (number, boolean or string)")}", index));
                return null;
            default:
                var actual = reader.TokenType == JsonTokenType.Null ? "null" : Describe(reader.TokenType);
                errors.Add(new TelemetryError(RejectionReasons.TypeMismatch, name, $"'{name}' must be {(expected is { } t ? Name(t) : "a scalar")}, not {actual}", index));
                return null;
        }
    }

    // 1e3 or 21.0 are whole numbers too, though not spelled as integers.
    private static bool TryGetWholeNumber(ref Utf8JsonReader reader, out long integer)
    {
        integer = 0;
        if (!reader.TryGetDouble(out var number) || !double.IsInteger(number) || number < -9.2233720368547758E18 || number >= 9.2233720368547758E18)
        {
            return false;
        }

        integer = (long)number;
        return true;
    }

    private static bool InRange(string name, double value, TelemetryField? spec, int? index, List<TelemetryError> errors)
    {
        if (spec?.Min is { } min && value < min)
        {
            errors.Add(new TelemetryError(RejectionReasons.OutOfRange, name, $"'{name}' is {Format(value)}, below the minimum {Format(min)}", index));
            return false;
        }

        if (spec?.Max is { } max && value > max)
        {
            errors.Add(new TelemetryError(RejectionReasons.OutOfRange, name, $"'{name}' is {Format(value)}, above the maximum {Format(max)}", index));
            return false;
        }

        return true;
    }

    // ts: epoch milliseconds (a number); timestamp: ISO-8601 (a string; UTC when it has no offset) or epoch milliseconds.
    private static DateTimeOffset? ReadTimestamp(ref Utf8JsonReader reader, string field, int? index, List<TelemetryError> errors)
    {
        DateTimeOffset? at = null;
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetDouble(out var milliseconds) && double.IsFinite(milliseconds)
            && Math.Abs(milliseconds) < (LatestTime - DateTimeOffset.UnixEpoch).TotalMilliseconds)
        {
            at = DateTimeOffset.UnixEpoch.AddTicks((long)(milliseconds * TimeSpan.TicksPerMillisecond));
        }
        else if (reader.TokenType == JsonTokenType.String && field == "timestamp" && reader.TryGetDateTime(out var time))
        {
            at = time.Kind == DateTimeKind.Unspecified
                ? new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc))
                : reader.TryGetDateTimeOffset(out var withOffset) ? withOffset : null;
        }

        if (at is { } valid && valid > EarliestTime && valid < LatestTime)
        {
            return valid.ToUniversalTime();
        }

        var expected = field == "ts" ? "epoch milliseconds (a number)" : "an ISO-8601 time (like 2026-01-01T12:00:00Z) or epoch milliseconds";
        var actual = reader.TokenType is JsonTokenType.Number or JsonTokenType.String ? Spell(ref reader) : Describe(reader.TokenType);
        reader.Skip();
        errors.Add(new TelemetryError(RejectionReasons.InvalidTimestamp, field, $"{field} must be {expected} between 1678 and 2262, not {actual}", index));
        return null;
    }

    private static bool IsReserved(string name) => name is "time" or "device" or "room" or "type";

    private static JsonTokenType Peek(Utf8JsonReader reader) => reader.Read() ? reader.TokenType : JsonTokenType.None;

    private static string Spell(ref Utf8JsonReader reader)
    {
        var text = reader.TokenType == JsonTokenType.String ? "\"" + reader.GetString() + "\"" : System.Text.Encoding.UTF8.GetString(reader.ValueSpan);
        return text.Length > 64 ? text[..64] + "…" : text;
    }

    private static string Name(TelemetryType type) => type switch
    {
        TelemetryType.Number => "a number",
        TelemetryType.Integer => "an integer",
        TelemetryType.Boolean => "a boolean",
        _ => "a string",
    };

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => "nothing",
    };

    private static string Format(double value) => value.ToString("G", CultureInfo.InvariantCulture);
}
