using Iot.Rules.Engine;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Conditions;

/// <summary>
/// The state of one condition (a rule's condition or its clear condition) for one device. It watches the device's
/// messages and, when it learns whether the condition holds, reports that to its <see cref="RuleBinding"/>; a message
/// that says nothing (a missing field, an open window) reports nothing.
/// </summary>
internal abstract class ConditionMonitor(RuleBinding binding, bool isClear) : TimedState
{
    public RuleBinding Binding { get; } = binding;

    public override bool IsDetached => Binding.Detached;

    /// <summary>Called once when the rule starts watching the device.</summary>
    public virtual void Start(long now, RuleRuntime runtime)
    {
    }

    public abstract void Observe(in TelemetryMessage message, long now, RuleRuntime runtime);

    public override void OnTimer(long now, RuleRuntime runtime)
    {
    }

    protected void Report(bool holds, double? value, long now, RuleRuntime runtime, ReadOnlyMemory<FieldValue> fields) =>
        Binding.Report(isClear, holds, value, now, runtime, fields);

    protected void Error(RuleErrorReason reason) => Binding.Rule.Counters.Error(reason);

    /// <summary>The numeric value of <paramref name="field"/>, or false after counting why there is none.</summary>
    protected bool TryReadNumber(in TelemetryMessage message, string field, out double value)
    {
        if (!message.TryGetField(field, out var raw))
        {
            Error(RuleErrorReason.MissingField);
            value = 0;
            return false;
        }

        if (!raw.IsNumeric)
        {
            Error(RuleErrorReason.WrongType);
            value = 0;
            return false;
        }

        value = raw.AsNumber;
        return true;
    }
}
