namespace Iot.Api.Expressions;

/// <summary>
/// A node of a parsed <see cref="RuleExpression"/>. The tree is immutable; an evaluator walks it with a
/// <c>switch</c> over the node types below.
/// </summary>
/// <param name="Offset">
/// 0-based offset of the node's defining token, where errors about the node point: the start of a literal, name,
/// call or list, the operator of a unary or binary operation, the <c>?</c> of a conditional, the member name
/// of a member access and the <c>[</c> of an index.
/// </param>
public abstract record Expr(int Offset)
{
    /// <summary>The expression in source form with every operation parenthesized, e.g. <c>(a || (b &amp;&amp; c))</c>.</summary>
    public sealed override string ToString() => ExprFormatter.Format(this);
}

/// <summary>A literal value: <c>42</c>, <c>3.5</c>, <c>"text"</c>, <c>true</c>.</summary>
/// <param name="Offset">Where the literal starts.</param>
/// <param name="Value">A <see cref="long"/>, <see cref="double"/>, <see cref="string"/> or <see cref="bool"/>.</param>
public sealed record LiteralExpr(int Offset, object Value) : Expr(Offset);

/// <summary>A name: a telemetry field, or one of the special names <c>device</c> and <c>room</c>.</summary>
/// <param name="Offset">Where the name starts.</param>
/// <param name="Name">The name as written.</param>
public sealed record IdentifierExpr(int Offset, string Name) : Expr(Offset);

/// <summary>Member access <c>Target.Member</c>, e.g. <c>device.labels</c> or <c>device.labels.zone</c>.</summary>
/// <param name="Offset">Where the member name starts.</param>
/// <param name="Target">The expression before the dot.</param>
/// <param name="Member">The name after the dot.</param>
public sealed record MemberExpr(int Offset, Expr Target, string Member) : Expr(Offset);

/// <summary>Index <c>Target[Index]</c>, e.g. <c>device.labels["zone"]</c>.</summary>
/// <param name="Offset">Where the <c>[</c> is.</param>
/// <param name="Target">The indexed expression.</param>
/// <param name="Index">The key or position.</param>
public sealed record IndexExpr(int Offset, Expr Target, Expr Index) : Expr(Offset);

/// <summary>A prefix operation: <c>!Operand</c> or <c>-Operand</c>.</summary>
/// <param name="Offset">Where the operator is.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Operand">The operand.</param>
public sealed record UnaryExpr(int Offset, UnaryOperator Operator, Expr Operand) : Expr(Offset);

/// <summary>An infix operation such as <c>Left &amp;&amp; Right</c> or <c>Left in Right</c>.</summary>
/// <param name="Offset">Where the operator is.</param>
/// <param name="Operator">The operator.</param>
/// <param name="Left">The left operand.</param>
/// <param name="Right">The right operand.</param>
public sealed record BinaryExpr(int Offset, BinaryOperator Operator, Expr Left, Expr Right) : Expr(Offset);

/// <summary>The conditional <c>Condition ? WhenTrue : WhenFalse</c>.</summary>
/// <param name="Offset">Where the <c>?</c> is.</param>
/// <param name="Condition">The boolean that selects a branch.</param>
/// <param name="WhenTrue">The value when the condition holds.</param>
/// <param name="WhenFalse">The value otherwise.</param>
public sealed record ConditionalExpr(int Offset, Expr Condition, Expr WhenTrue, Expr WhenFalse) : Expr(Offset);

/// <summary>A function call such as <c>abs(x)</c>, or the macro <c>has(x)</c>.</summary>
/// <param name="Offset">Where the function name starts.</param>
/// <param name="Function">The function name.</param>
/// <param name="Arguments">The arguments, in order.</param>
public sealed record CallExpr(int Offset, string Function, IReadOnlyList<Expr> Arguments) : Expr(Offset);

/// <summary>A list literal <c>[a, b, c]</c>, the right operand of <c>in</c>.</summary>
/// <param name="Offset">Where the <c>[</c> is.</param>
/// <param name="Items">The elements, in order.</param>
public sealed record ListExpr(int Offset, IReadOnlyList<Expr> Items) : Expr(Offset);
