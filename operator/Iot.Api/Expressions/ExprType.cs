using Iot.Api.Devices;

namespace Iot.Api.Expressions;

/// <summary>The static type of an expression as the checker sees it.</summary>
/// <param name="Kind">The kind of type.</param>
/// <param name="Element">The element type of a list; null otherwise.</param>
internal sealed record ExprType(ExprTypeKind Kind, ExprType? Element = null)
{
    public static readonly ExprType Integer = new(ExprTypeKind.Integer);
    public static readonly ExprType Number = new(ExprTypeKind.Number);
    public static readonly ExprType Boolean = new(ExprTypeKind.Boolean);
    public static readonly ExprType String = new(ExprTypeKind.String);
    public static readonly ExprType StringMap = new(ExprTypeKind.StringMap);
    public static readonly ExprType Dyn = new(ExprTypeKind.Dyn);
    public static readonly ExprType Error = new(ExprTypeKind.Error);

    public static ExprType ListOf(ExprType element) => new(ExprTypeKind.List, element);

    public static ExprType Of(TelemetryType type) => type switch
    {
        TelemetryType.Integer => Integer,
        TelemetryType.Boolean => Boolean,
        TelemetryType.String => String,
        _ => Number,
    };

    public bool IsNumeric => Kind is ExprTypeKind.Integer or ExprTypeKind.Number;

    /// <summary>Dyn, or the type of an erroneous expression: anything goes, so that one mistake is reported once.</summary>
    public bool IsUnchecked => Kind is ExprTypeKind.Dyn or ExprTypeKind.Error;

    /// <summary>Numeric, or possibly so.</summary>
    public bool MayBeNumeric => IsNumeric || IsUnchecked;

    /// <summary>
    /// The type that values of both types have, or null when there is none: numbers mix (to number) and
    /// unchecked types absorb the other, since the value could be of either type.
    /// </summary>
    public static ExprType? Common(ExprType a, ExprType b)
    {
        if (a == b)
        {
            return a;
        }

        if (a.Kind == ExprTypeKind.Error || b.Kind == ExprTypeKind.Error)
        {
            return Error;
        }

        if (a.IsUnchecked || b.IsUnchecked)
        {
            return Dyn;
        }

        if (a.IsNumeric && b.IsNumeric)
        {
            return Number;
        }

        if (a.Kind == ExprTypeKind.List && b.Kind == ExprTypeKind.List && Common(a.Element!, b.Element!) is { } element)
        {
            return ListOf(element);
        }

        return null;
    }

    /// <summary>The result of arithmetic on two numbers: integer only when both are integers.</summary>
    public static ExprType Arithmetic(ExprType a, ExprType b) =>
        a.IsUnchecked || b.IsUnchecked ? Dyn
        : a.Kind == ExprTypeKind.Integer && b.Kind == ExprTypeKind.Integer ? Integer
        : Number;

    public override string ToString() => Kind switch
    {
        ExprTypeKind.Integer => "integer",
        ExprTypeKind.Number => "number",
        ExprTypeKind.Boolean => "boolean",
        ExprTypeKind.String => "string",
        ExprTypeKind.StringMap => "map<string, string>",
        ExprTypeKind.List => $"list<{Element}>",
        ExprTypeKind.Dyn => "dyn",
        _ => "error",
    };
}
