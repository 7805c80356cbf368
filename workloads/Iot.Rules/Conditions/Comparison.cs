using Iot.Api.EdgeRules;

namespace Iot.Rules.Conditions;

/// <summary>Applies a rule's comparison operator.</summary>
internal static class Comparison
{
    public static bool Test(ComparisonOperator op, double value, double threshold) => op switch
    {
        ComparisonOperator.GreaterThan => value > threshold,
        ComparisonOperator.GreaterThanOrEqual => value >= threshold,
        ComparisonOperator.LessThan => value < threshold,
        ComparisonOperator.LessThanOrEqual => value <= threshold,
        ComparisonOperator.Equal => value == threshold,
        _ => value != threshold,
    };
}
