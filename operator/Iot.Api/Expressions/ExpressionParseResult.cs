namespace Iot.Api.Expressions;

/// <summary>The outcome of <see cref="RuleExpression.Parse"/>.</summary>
/// <param name="Root">The syntax tree; null when the text could not be parsed.</param>
/// <param name="Errors">Syntax errors; parsing stops at the first one.</param>
public sealed record ExpressionParseResult(Expr? Root, IReadOnlyList<ExpressionDiagnostic> Errors)
{
    /// <summary>True when the text parsed without errors.</summary>
    public bool Succeeded => Root is not null && Errors.Count == 0;
}
