namespace Iot.Ingest.Telemetry;

/// <summary>
/// Why a telemetry message was refused: the <c>result</c> label of <c>iot_ingest_messages_total</c> (besides
/// <see cref="Accepted"/>) and the <c>reason</c> of a published rejection.
/// </summary>
public static class RejectionReasons
{
    /// <summary>The result of a message that was stored and evaluated.</summary>
    public const string Accepted = "accepted";

    /// <summary>Not JSON, or not a JSON object (or, over HTTP, an array of objects).</summary>
    public const string MalformedJson = "malformed_json";

    /// <summary>Larger than <see cref="IngestOptions.MaxMessageBytes"/> (MQTT) or <see cref="IngestOptions.MaxRequestBytes"/> (HTTP).</summary>
    public const string TooLarge = "too_large";

    /// <summary>No Device of that id in the namespace.</summary>
    public const string UnknownDevice = "unknown_device";

    /// <summary>The Device is disabled (spec.disabled).</summary>
    public const string DeviceDisabled = "device_disabled";

    /// <summary>The payload's <c>device_id</c> is not the device of the topic (or of the HTTP credentials).</summary>
    public const string DeviceMismatch = "device_mismatch";

    /// <summary>A field the Device's telemetry schema does not declare (or, beside <c>data</c>, a key that is no field).</summary>
    public const string UnknownField = "unknown_field";

    /// <summary>A value of another type than the schema declares, null, or not a scalar.</summary>
    public const string TypeMismatch = "type_mismatch";

    /// <summary>A number below the field's min or above its max, or beyond what a 64-bit float holds.</summary>
    public const string OutOfRange = "out_of_range";

    /// <summary>A field named like InfluxDB's time column or one of the tags (<c>time</c>, <c>device</c>, <c>room</c>, <c>type</c>).</summary>
    public const string ReservedField = "reserved_field";

    /// <summary>An empty field name, or one with control characters (which InfluxDB's line protocol cannot carry).</summary>
    public const string InvalidFieldName = "invalid_field_name";

    /// <summary>The same field twice in one message.</summary>
    public const string DuplicateField = "duplicate_field";

    /// <summary>A message without any field.</summary>
    public const string NoFields = "no_fields";

    /// <summary><c>ts</c> that is not epoch milliseconds, or <c>timestamp</c> that is not ISO-8601, or a time InfluxDB cannot store.</summary>
    public const string InvalidTimestamp = "invalid_timestamp";
}
