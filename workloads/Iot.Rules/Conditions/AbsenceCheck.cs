using Iot.Rules.Engine;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Conditions;

/// <summary>
/// <c>absence</c>: nothing from the device for <c>for</c>, in processing time, checked by the engine's timer. A device
/// counts as heard from when the engine learnt of it, so after a (re)start no device is reported absent before a full
/// timeout has passed. The value is the number of seconds of silence; the next message resolves.
/// </summary>
internal sealed class AbsenceCheck(long forTicks) : ConditionCheck
{
    public long ForTicks { get; } = forTicks;

    public override string? Field => null;

    public override ConditionMonitor CreateMonitor(RuleBinding binding, bool isClear) => new Monitor(this, binding, isClear);

    private sealed class Monitor(AbsenceCheck check, RuleBinding binding, bool isClear) : ConditionMonitor(binding, isClear)
    {
        public override void Start(long now, RuleRuntime runtime) => runtime.Schedule(this, Binding.Device.LastSeen + check.ForTicks);

        public override void Observe(in TelemetryMessage message, long now, RuleRuntime runtime)
        {
            Report(false, null, now, runtime, message.Fields);
            if (DueAt == 0)
            {
                runtime.Schedule(this, now + check.ForTicks);
            }
        }

        public override void OnTimer(long now, RuleRuntime runtime)
        {
            var silent = now - Binding.Device.LastSeen;
            if (silent < check.ForTicks)
            {
                runtime.Schedule(this, Binding.Device.LastSeen + check.ForTicks);
                return;
            }

            Binding.Rule.Counters.Evaluated();
            Report(true, TimeSpan.FromTicks(silent).TotalSeconds, now, runtime, default);
        }
    }
}
