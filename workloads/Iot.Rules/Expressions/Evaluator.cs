namespace Iot.Rules.Expressions;

/// <summary>A compiled expression node: evaluates to a value (or an error value) without allocating for scalars.</summary>
internal delegate ExprValue Evaluator(in EvaluationScope scope);
