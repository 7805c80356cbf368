using Iot.Api.EdgeRules;
using Iot.Rules.Engine;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Conditions;

/// <summary>
/// <c>rateOfChange</c>: the change of the field between a device's two latest messages, per <c>per</c>, in message time:
/// (v₂ − v₁) · per / (t₂ − t₁). A message not newer than the previous one is skipped and counted (<c>out_of_order</c>).
/// </summary>
internal sealed class RateOfChangeCheck(string field, long perTicks, ComparisonOperator op, double threshold) : ConditionCheck
{
    public override string Field { get; } = field;

    public long PerTicks { get; } = perTicks;

    public ComparisonOperator Operator { get; } = op;

    public double Threshold { get; } = threshold;

    public override ConditionMonitor CreateMonitor(RuleBinding binding, bool isClear) => new Monitor(this, binding, isClear);

    public override string? ProblemWith(DeviceInfo device) => FieldProblem(device, Field, numeric: true);

    private sealed class Monitor(RateOfChangeCheck check, RuleBinding binding, bool isClear) : ConditionMonitor(binding, isClear)
    {
        private bool _hasPrevious;
        private long _previousTime;
        private double _previousValue;

        public override void Observe(in TelemetryMessage message, long now, RuleRuntime runtime)
        {
            if (!TryReadNumber(message, check.Field, out var value))
            {
                return;
            }

            var t = message.Timestamp.UtcTicks;
            if (_hasPrevious)
            {
                if (t <= _previousTime)
                {
                    Error(RuleErrorReason.OutOfOrder);
                    return;
                }

                var rate = (value - _previousValue) * check.PerTicks / (t - _previousTime);
                Report(Comparison.Test(check.Operator, rate, check.Threshold), rate, now, runtime, message.Fields);
            }

            _hasPrevious = true;
            _previousTime = t;
            _previousValue = value;
        }
    }
}
