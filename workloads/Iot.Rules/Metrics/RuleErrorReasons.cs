namespace Iot.Rules.Metrics;

/// <summary>The metric label of each <see cref="RuleErrorReason"/>.</summary>
internal static class RuleErrorReasons
{
    public static readonly RuleErrorReason[] All = Enum.GetValues<RuleErrorReason>();

    public static string Label(RuleErrorReason reason) => reason switch
    {
        RuleErrorReason.MissingField => "missing_field",
        RuleErrorReason.WrongType => "wrong_type",
        RuleErrorReason.DivisionByZero => "division_by_zero",
        RuleErrorReason.Overflow => "overflow",
        RuleErrorReason.MissingLabel => "missing_label",
        RuleErrorReason.IndexOutOfRange => "index_out_of_range",
        RuleErrorReason.TypeMismatch => "type_mismatch",
        RuleErrorReason.LateMessage => "late_message",
        RuleErrorReason.OutOfOrder => "out_of_order",
        RuleErrorReason.TypeError => "type_error",
        RuleErrorReason.InvalidRule => "invalid_rule",
        RuleErrorReason.CommandNotDeclared => "command_not_declared",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };
}
