using System.Globalization;

namespace Iot.LocalCluster.Storage;

/// <summary>One comma-separated term of a label selector, e.g. <c>tier in (a,b)</c>.</summary>
internal sealed record LabelRequirement(string Key, LabelOperator Operator, IReadOnlyList<string> Values)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelOperator.Equals or LabelOperator.In => present && Values.Contains(value),
            // Absent labels satisfy the negative operators, as in Kubernetes.
            LabelOperator.NotEquals or LabelOperator.NotIn => !present || !Values.Contains(value),
            LabelOperator.Exists => present,
            LabelOperator.DoesNotExist => !present,
            LabelOperator.GreaterThan => present && AsInteger(value) > AsInteger(Values[0]),
            LabelOperator.LessThan => present && AsInteger(value) < AsInteger(Values[0]),
            _ => false,
        };
    }

    // A label value that is not an integer never satisfies > or < (null compares false).
    private static long? AsInteger(string? value) =>
        long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) ? number : null;
}
