using System.Globalization;

namespace Iot.Storage.TimeSeries;

/// <summary>The kinds of value a telemetry field holds, as in a Device's telemetry schema.</summary>
public enum TelemetryValueKind
{
    /// <summary>A 64-bit floating point number (InfluxDB float).</summary>
    Number,

    /// <summary>A 64-bit signed integer (InfluxDB integer, written with the <c>i</c> suffix).</summary>
    Integer,

    /// <summary>true or false.</summary>
    Boolean,

    /// <summary>Text.</summary>
    String,
}

/// <summary>
/// One field value of a telemetry point: a number, an integer, a boolean or a string. Create with
/// <see cref="Number"/>, <see cref="Integer"/>, <see cref="Boolean"/>, <see cref="String"/> or the implicit conversions.
/// </summary>
public readonly record struct TelemetryValue
{
    private readonly double number;
    private readonly long integer;
    private readonly string? text;

    private TelemetryValue(TelemetryValueKind kind, double number, long integer, string? text)
    {
        Kind = kind;
        this.number = number;
        this.integer = integer;
        this.text = text;
    }

    /// <summary>Which kind of value this is.</summary>
    public TelemetryValueKind Kind { get; }

    /// <summary>A float field.</summary>
    public static TelemetryValue Number(double value) => new(TelemetryValueKind.Number, value, 0, null);

    /// <summary>An integer field.</summary>
    public static TelemetryValue Integer(long value) => new(TelemetryValueKind.Integer, 0, value, null);

    /// <summary>A boolean field.</summary>
    public static TelemetryValue Boolean(bool value) => new(TelemetryValueKind.Boolean, 0, value ? 1 : 0, null);

    /// <summary>A string field.</summary>
    public static TelemetryValue String(string value) => new(TelemetryValueKind.String, 0, 0, value ?? throw new ArgumentNullException(nameof(value)));

    public static implicit operator TelemetryValue(double value) => Number(value);

    public static implicit operator TelemetryValue(long value) => Integer(value);

    public static implicit operator TelemetryValue(bool value) => Boolean(value);

    public static implicit operator TelemetryValue(string value) => String(value);

    /// <summary>The value as a double: numbers and integers; anything else is an <see cref="InvalidOperationException"/>.</summary>
    public double AsDouble() => Kind switch
    {
        TelemetryValueKind.Number => number,
        TelemetryValueKind.Integer => integer,
        _ => throw new InvalidOperationException($"A {Kind} telemetry value is not a number."),
    };

    /// <summary>The value of an integer field.</summary>
    public long AsInteger() => Kind == TelemetryValueKind.Integer ? integer : throw new InvalidOperationException($"A {Kind} telemetry value is not an integer.");

    /// <summary>The value of a boolean field.</summary>
    public bool AsBoolean() => Kind == TelemetryValueKind.Boolean ? integer != 0 : throw new InvalidOperationException($"A {Kind} telemetry value is not a boolean.");

    /// <summary>The value of a string field.</summary>
    public string AsString() => text ?? throw new InvalidOperationException($"A {Kind} telemetry value is not a string.");

    /// <inheritdoc/>
    public override string ToString() => Kind switch
    {
        TelemetryValueKind.Number => number.ToString("R", CultureInfo.InvariantCulture),
        TelemetryValueKind.Integer => integer.ToString(CultureInfo.InvariantCulture),
        TelemetryValueKind.Boolean => integer != 0 ? "true" : "false",
        _ => text!,
    };
}
