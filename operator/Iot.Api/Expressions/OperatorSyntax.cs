namespace Iot.Api.Expressions;

/// <summary>How operators are written, for messages and formatting.</summary>
internal static class OperatorSyntax
{
    public static string Text(UnaryOperator op) => op switch
    {
        UnaryOperator.Not => "!",
        UnaryOperator.Negate => "-",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };

    public static string Text(BinaryOperator op) => op switch
    {
        BinaryOperator.Or => "||",
        BinaryOperator.And => "&&",
        BinaryOperator.Equal => "==",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.In => "in",
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Remainder => "%",
        _ => throw new ArgumentOutOfRangeException(nameof(op), op, null),
    };
}
