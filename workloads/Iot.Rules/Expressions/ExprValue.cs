using Iot.Api.Devices;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Expressions;

/// <summary>
/// A value during expression evaluation, unboxed: scalars live in one 64-bit slot, strings, maps and lists in a
/// reference. Errors are values too (CEL style), so a missing field costs no exception and <c>&amp;&amp;</c>/<c>||</c>
/// can absorb them.
/// </summary>
internal readonly struct ExprValue
{
    public static readonly ExprValue True = new(ValueKind.Boolean, 1, null);
    public static readonly ExprValue False = new(ValueKind.Boolean, 0, null);

    private readonly long _bits;
    private readonly object? _reference;

    private ExprValue(ValueKind kind, long bits, object? reference)
    {
        Kind = kind;
        _bits = bits;
        _reference = reference;
    }

    public ValueKind Kind { get; }

    public bool IsError => Kind == ValueKind.Error;

    public bool IsNumeric => Kind is ValueKind.Integer or ValueKind.Number;

    public bool Boolean => _bits != 0;

    public long Integer => _bits;

    public double Number => Kind == ValueKind.Integer ? _bits : BitConverter.Int64BitsToDouble(_bits);

    public string String => (string)_reference!;

    public IReadOnlyDictionary<string, string> Map => (IReadOnlyDictionary<string, string>)_reference!;

    public ExprValue[] List => (ExprValue[])_reference!;

    public RuleErrorReason Reason => (RuleErrorReason)_bits;

    public static ExprValue FromBoolean(bool value) => value ? True : False;

    public static ExprValue FromInteger(long value) => new(ValueKind.Integer, value, null);

    public static ExprValue FromNumber(double value) => new(ValueKind.Number, BitConverter.DoubleToInt64Bits(value), null);

    public static ExprValue FromString(string value) => new(ValueKind.String, 0, value);

    public static ExprValue FromMap(IReadOnlyDictionary<string, string> value) => new(ValueKind.Map, 0, value);

    public static ExprValue FromList(ExprValue[] items) => new(ValueKind.List, 0, items);

    public static ExprValue Fail(RuleErrorReason reason) => new(ValueKind.Error, (long)reason, null);

    public static ExprValue From(TelemetryValue value) => value.Kind switch
    {
        TelemetryType.Number => FromNumber(value.AsNumber),
        TelemetryType.Integer => FromInteger(value.AsInteger),
        TelemetryType.Boolean => FromBoolean(value.AsBoolean),
        _ => FromString(value.AsString!),
    };

    /// <summary>CEL equality: numbers compare by value across integer and number, lists element-wise; other kinds never equal.</summary>
    public static bool AreEqual(in ExprValue a, in ExprValue b)
    {
        if (a.IsNumeric && b.IsNumeric)
        {
            return a.Kind == ValueKind.Integer && b.Kind == ValueKind.Integer ? a._bits == b._bits : a.Number == b.Number;
        }

        if (a.Kind != b.Kind)
        {
            return false;
        }

        switch (a.Kind)
        {
            case ValueKind.Boolean:
                return a._bits == b._bits;
            case ValueKind.String:
                return string.Equals(a.String, b.String, StringComparison.Ordinal);
            case ValueKind.List:
                var left = a.List;
                var right = b.List;
                if (left.Length != right.Length)
                {
                    return false;
                }

                for (var i = 0; i < left.Length; i++)
                {
                    if (!AreEqual(left[i], right[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return ReferenceEquals(a._reference, b._reference);
        }
    }
}
