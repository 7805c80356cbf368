namespace Iot.Rules.Metrics;

/// <summary>Why an evaluation or an action of a rule failed: the <c>reason</c> label of <c>iot_rules_errors_total</c>.</summary>
public enum RuleErrorReason
{
    /// <summary>The message lacks the field the condition reads (guard expressions with <c>has()</c>).</summary>
    MissingField,

    /// <summary>The field has the wrong type for the condition, e.g. a string where a number is compared.</summary>
    WrongType,

    /// <summary>An expression divided by zero (<c>/</c> or <c>%</c>).</summary>
    DivisionByZero,

    /// <summary>Integer arithmetic in an expression overflowed.</summary>
    Overflow,

    /// <summary>An expression read a label the device does not have (guard with <c>has(device.labels.k)</c>).</summary>
    MissingLabel,

    /// <summary>An expression indexed a list outside its bounds.</summary>
    IndexOutOfRange,

    /// <summary>An expression combined values of types that do not go together (fields of undeclared type).</summary>
    TypeMismatch,

    /// <summary>A message was older than every window still open, so no window could count it.</summary>
    LateMessage,

    /// <summary>A message was not newer than the previous one (rate of change needs time to pass).</summary>
    OutOfOrder,

    /// <summary>The rule's expression does not type-check against a selected device's telemetry schema; that device is skipped.</summary>
    TypeError,

    /// <summary>The rule could not be compiled (it should not have passed validation); it is not evaluated.</summary>
    InvalidRule,

    /// <summary>A command action named a device that does not exist or does not declare the command; nothing was sent.</summary>
    CommandNotDeclared,
}
