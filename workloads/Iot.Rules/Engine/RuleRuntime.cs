using Iot.Rules.Actions;

namespace Iot.Rules.Engine;

/// <summary>What rule state needs from its engine while it runs: the sink, the devices (command targets), the timers.</summary>
internal sealed class RuleRuntime(IRuleActionSink sink)
{
    public IRuleActionSink Sink { get; } = sink;

    /// <summary>Every device the engine knows, owned or not, by id.</summary>
    public Dictionary<string, DeviceSlot> Devices { get; } = new(StringComparer.Ordinal);

    public TimerQueue Timers { get; } = new();

    public void Schedule(TimedState state, long due) => Timers.Schedule(state, due);
}
