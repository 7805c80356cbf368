using Iot.Rules.Actions;
using Iot.Rules.Conditions;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Engine;

/// <summary>
/// One rule watching one device: the condition (and clear condition) state and the alert lifecycle.
/// </summary>
/// <remarks>
/// Lifecycle: the rule fires when its condition holds, unless it fired for the device less than <c>cooldown</c> ago,
/// in which case it fires when the cooldown ends if the condition still holds then. A firing rule resolves when its
/// clear condition holds or, without one, as soon as its condition no longer does. Cooldown and firing state are in
/// processing time. Rules in dryRun count their firings and act on nothing.
/// </remarks>
internal sealed class RuleBinding : TimedState
{
    private long _firingSince;
    private long _lastFiredAt;
    private bool _conditionHolds;
    private double? _lastValue;

    public RuleBinding(CompiledRule rule, DeviceSlot device)
    {
        Rule = rule;
        Device = device;
        Condition = rule.Condition.CreateMonitor(this, isClear: false);
        Clear = rule.Clear?.CreateMonitor(this, isClear: true);
    }

    public CompiledRule Rule { get; }

    public DeviceSlot Device { get; }

    public ConditionMonitor Condition { get; }

    public ConditionMonitor? Clear { get; }

    public bool Firing { get; private set; }

    public bool Detached { get; private set; }

    public override bool IsDetached => Detached;

    public void Start(long now, RuleRuntime runtime)
    {
        Condition.Start(now, runtime);
        Clear?.Start(now, runtime);
    }

    public void Observe(in TelemetryMessage message, long now, RuleRuntime runtime)
    {
        Rule.Counters.Evaluated();
        Condition.Observe(message, now, runtime);
        Clear?.Observe(message, now, runtime);
    }

    /// <summary>A monitor learnt whether its condition holds.</summary>
    public void Report(bool fromClear, bool holds, double? value, long now, RuleRuntime runtime, ReadOnlyMemory<FieldValue> fields)
    {
        if (fromClear)
        {
            if (Firing && holds)
            {
                Resolve(value, now, runtime, fields);
            }

            return;
        }

        _conditionHolds = holds;
        _lastValue = value;
        if (Firing)
        {
            if (!holds && Clear is null)
            {
                Resolve(value, now, runtime, fields);
            }
        }
        else if (holds)
        {
            TryFire(value, now, runtime, fields);
        }
    }

    /// <summary>The cooldown ended: fire if the condition still holds.</summary>
    public override void OnTimer(long now, RuleRuntime runtime)
    {
        if (!Firing && _conditionHolds)
        {
            TryFire(_lastValue, now, runtime, default);
        }
    }

    /// <summary>
    /// Replaces <paramref name="previous"/>, the binding of an earlier spec of the same rule: the cooldown carries over,
    /// and so does a firing alert when the new spec still raises one in the same mode; otherwise it resolves.
    /// </summary>
    public void TakeOver(RuleBinding previous, long now, RuleRuntime runtime)
    {
        _lastFiredAt = previous._lastFiredAt;
        var keepFiring = previous.Firing && previous.Rule.DryRun == Rule.DryRun && previous.Rule.HasAlert == Rule.HasAlert;
        previous.Detach(now, runtime, resolve: !keepFiring);
        if (keepFiring)
        {
            Firing = true;
            _firingSince = previous._firingSince;
            _lastValue = previous._lastValue;
        }
    }

    /// <summary>Stops watching; a firing alert resolves when <paramref name="resolve"/> (rule or device gone).</summary>
    public void Detach(long now, RuleRuntime runtime, bool resolve)
    {
        if (Firing && resolve)
        {
            Resolve(_lastValue, now, runtime, default);
        }

        Detached = true;
    }

    private void TryFire(double? value, long now, RuleRuntime runtime, ReadOnlyMemory<FieldValue> fields)
    {
        var cooldownEnds = _lastFiredAt + Rule.CooldownTicks;
        if (_lastFiredAt != 0 && now < cooldownEnds)
        {
            if (DueAt == 0)
            {
                Rule.Counters.SuppressedByCooldown();
                runtime.Schedule(this, cooldownEnds);
            }

            return;
        }

        Firing = true;
        _firingSince = now;
        _lastFiredAt = now;
        Rule.Counters.Fired(Rule.DryRun, now);
        Act(new Transition(this, true, value, now, now, fields), runtime);
    }

    private void Resolve(double? value, long now, RuleRuntime runtime, ReadOnlyMemory<FieldValue> fields)
    {
        Firing = false;
        _conditionHolds = false;
        Act(new Transition(this, false, value, _firingSince, now, fields), runtime);
    }

    private void Act(in Transition transition, RuleRuntime runtime)
    {
        if (Rule.DryRun)
        {
            return;
        }

        foreach (var step in Rule.Actions)
        {
            step.Run(transition, runtime);
        }
    }
}
