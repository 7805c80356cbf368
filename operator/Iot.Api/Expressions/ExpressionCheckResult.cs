namespace Iot.Api.Expressions;

/// <summary>The outcome of <see cref="RuleExpression.Check"/>.</summary>
/// <param name="Root">The syntax tree; null when the text could not be parsed, present (with errors) when only type-checking failed.</param>
/// <param name="Errors">Syntax errors (the first only) or all type errors.</param>
/// <param name="FieldsUsed">
/// The telemetry fields the expression refers to, sorted ordinally; <c>device</c> and <c>room</c> are not fields.
/// Names that are not in the scope are left out.
/// </param>
public sealed record ExpressionCheckResult(Expr? Root, IReadOnlyList<ExpressionDiagnostic> Errors, IReadOnlySet<string> FieldsUsed)
{
    /// <summary>True when the text parsed and type-checked as a boolean condition without errors.</summary>
    public bool Succeeded => Root is not null && Errors.Count == 0;
}
