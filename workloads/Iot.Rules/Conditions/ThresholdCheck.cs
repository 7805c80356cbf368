using Iot.Api.EdgeRules;
using Iot.Rules.Engine;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Conditions;

/// <summary>
/// <c>threshold</c>: the field compared with a value. With a hold time (<c>for</c>) the comparison must stay true that
/// long, measured in processing time from the first message that made it true; the rule fires on the first message
/// after the hold has passed, or on the engine's timer when no message comes (the last value still counts).
/// </summary>
internal sealed class ThresholdCheck(string field, ComparisonOperator op, double threshold, long holdTicks) : ConditionCheck
{
    public override string Field { get; } = field;

    public ComparisonOperator Operator { get; } = op;

    public double Threshold { get; } = threshold;

    public long HoldTicks { get; } = holdTicks;

    public override ConditionMonitor CreateMonitor(RuleBinding binding, bool isClear) => new Monitor(this, binding, isClear);

    public override string? ProblemWith(DeviceInfo device) => FieldProblem(device, Field, numeric: true);

    private sealed class Monitor(ThresholdCheck check, RuleBinding binding, bool isClear) : ConditionMonitor(binding, isClear)
    {
        private const long NotPending = long.MinValue;

        private long _trueSince = NotPending;
        private double _last;

        public override void Observe(in TelemetryMessage message, long now, RuleRuntime runtime)
        {
            if (!TryReadNumber(message, check.Field, out var value))
            {
                return;
            }

            _last = value;
            if (!Comparison.Test(check.Operator, value, check.Threshold))
            {
                _trueSince = NotPending;
                Report(false, value, now, runtime, message.Fields);
                return;
            }

            if (_trueSince == NotPending)
            {
                _trueSince = now;
            }

            var heldAt = _trueSince + check.HoldTicks;
            if (now < heldAt)
            {
                runtime.Schedule(this, heldAt);
            }

            Report(now >= heldAt, value, now, runtime, message.Fields);
        }

        public override void OnTimer(long now, RuleRuntime runtime)
        {
            if (_trueSince != NotPending && now >= _trueSince + check.HoldTicks)
            {
                Binding.Rule.Counters.Evaluated();
                Report(true, _last, now, runtime, default);
            }
        }
    }
}
