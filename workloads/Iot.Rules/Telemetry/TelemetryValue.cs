using System.Globalization;

using Iot.Api.Devices;

namespace Iot.Rules.Telemetry;

/// <summary>
/// One typed telemetry value: a number, an integer, a boolean or a string, without boxing. Ingest builds these
/// from the validated message; the kinds are the Device schema's <see cref="TelemetryType"/>s.
/// </summary>
public readonly struct TelemetryValue : IEquatable<TelemetryValue>
{
    private readonly long _bits;
    private readonly string? _text;

    private TelemetryValue(TelemetryType kind, long bits, string? text)
    {
        Kind = kind;
        _bits = bits;
        _text = text;
    }

    /// <summary>Which of the four kinds the value is.</summary>
    public TelemetryType Kind { get; }

    /// <summary>True for numbers and integers.</summary>
    public bool IsNumeric => Kind is TelemetryType.Number or TelemetryType.Integer;

    /// <summary>The value of a number, or an integer widened to a number; 0 for other kinds.</summary>
    public double AsNumber => Kind switch
    {
        TelemetryType.Number => BitConverter.Int64BitsToDouble(_bits),
        TelemetryType.Integer => _bits,
        _ => 0,
    };

    /// <summary>The value of an integer; 0 for other kinds.</summary>
    public long AsInteger => Kind == TelemetryType.Integer ? _bits : 0;

    /// <summary>The value of a boolean; false for other kinds.</summary>
    public bool AsBoolean => Kind == TelemetryType.Boolean && _bits != 0;

    /// <summary>The value of a string; null for other kinds.</summary>
    public string? AsString => Kind == TelemetryType.String ? _text : null;

    /// <summary>A floating-point number.</summary>
    public static TelemetryValue FromNumber(double value) => new(TelemetryType.Number, BitConverter.DoubleToInt64Bits(value), null);

    /// <summary>A whole number.</summary>
    public static TelemetryValue FromInteger(long value) => new(TelemetryType.Integer, value, null);

    /// <summary>true or false.</summary>
    public static TelemetryValue FromBoolean(bool value) => new(TelemetryType.Boolean, value ? 1 : 0, null);

    /// <summary>A text value.</summary>
    public static TelemetryValue FromString(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return new(TelemetryType.String, 0, value);
    }

    /// <inheritdoc cref="FromNumber"/>
    public static implicit operator TelemetryValue(double value) => FromNumber(value);

    /// <inheritdoc cref="FromInteger"/>
    public static implicit operator TelemetryValue(long value) => FromInteger(value);

    /// <inheritdoc cref="FromBoolean"/>
    public static implicit operator TelemetryValue(bool value) => FromBoolean(value);

    /// <inheritdoc cref="FromString"/>
    public static implicit operator TelemetryValue(string value) => FromString(value);

    public static bool operator ==(TelemetryValue left, TelemetryValue right) => left.Equals(right);

    public static bool operator !=(TelemetryValue left, TelemetryValue right) => !left.Equals(right);

    public bool Equals(TelemetryValue other) => Kind == other.Kind && _bits == other._bits && _text == other._text;

    public override bool Equals(object? obj) => obj is TelemetryValue other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Kind, _bits, _text);

    /// <summary>The value as JSON would spell it: <c>21.5</c>, <c>3</c>, <c>true</c> or the text.</summary>
    public override string ToString() => Kind switch
    {
        TelemetryType.Number => AsNumber.ToString("R", CultureInfo.InvariantCulture),
        TelemetryType.Integer => _bits.ToString(CultureInfo.InvariantCulture),
        TelemetryType.Boolean => _bits != 0 ? "true" : "false",
        _ => _text ?? "",
    };
}
