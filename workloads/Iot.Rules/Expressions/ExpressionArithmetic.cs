using Iot.Api.Expressions;
using Iot.Rules.Metrics;

namespace Iot.Rules.Expressions;

/// <summary>
/// <c>+ - * / %</c>: integer arithmetic on two integers (overflow is an error), number arithmetic as soon as one operand
/// is a number, <c>/</c> always a number, <c>+</c> also concatenating strings; a zero divisor is an error for both.
/// </summary>
internal static class ExpressionArithmetic
{
    public static ExprValue Apply(BinaryOperator op, in ExprValue l, in ExprValue r)
    {
        if (l.IsError)
        {
            return l;
        }

        if (r.IsError)
        {
            return r;
        }

        if (op == BinaryOperator.Add && l.Kind == ValueKind.String && r.Kind == ValueKind.String)
        {
            return ExprValue.FromString(l.String + r.String);
        }

        if (!l.IsNumeric || !r.IsNumeric)
        {
            return ExprValue.Fail(RuleErrorReason.TypeMismatch);
        }

        if (op == BinaryOperator.Divide)
        {
            return r.Number == 0 ? ExprValue.Fail(RuleErrorReason.DivisionByZero) : ExprValue.FromNumber(l.Number / r.Number);
        }

        return l.Kind == ValueKind.Integer && r.Kind == ValueKind.Integer
            ? Integers(op, l.Integer, r.Integer)
            : Numbers(op, l.Number, r.Number);
    }

    private static ExprValue Integers(BinaryOperator op, long a, long b)
    {
        switch (op)
        {
            case BinaryOperator.Add:
                var sum = unchecked(a + b);
                return ((a ^ sum) & (b ^ sum)) < 0 ? Overflow : ExprValue.FromInteger(sum);
            case BinaryOperator.Subtract:
                var difference = unchecked(a - b);
                return ((a ^ b) & (a ^ difference)) < 0 ? Overflow : ExprValue.FromInteger(difference);
            case BinaryOperator.Multiply:
                var high = Math.BigMul(a, b, out var low);
                return high != (low >> 63) ? Overflow : ExprValue.FromInteger(low);
            case BinaryOperator.Remainder:
                // long.MinValue % -1 throws in .NET; mathematically it is 0.
                return b == 0 ? ExprValue.Fail(RuleErrorReason.DivisionByZero) : ExprValue.FromInteger(b == -1 ? 0 : a % b);
            default:
                return ExprValue.Fail(RuleErrorReason.TypeMismatch);
        }
    }

    private static ExprValue Numbers(BinaryOperator op, double a, double b) => op switch
    {
        BinaryOperator.Add => ExprValue.FromNumber(a + b),
        BinaryOperator.Subtract => ExprValue.FromNumber(a - b),
        BinaryOperator.Multiply => ExprValue.FromNumber(a * b),
        BinaryOperator.Remainder => b == 0 ? ExprValue.Fail(RuleErrorReason.DivisionByZero) : ExprValue.FromNumber(a % b),
        _ => ExprValue.Fail(RuleErrorReason.TypeMismatch),
    };

    private static ExprValue Overflow => ExprValue.Fail(RuleErrorReason.Overflow);
}
