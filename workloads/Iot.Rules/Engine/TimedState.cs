namespace Iot.Rules.Engine;

/// <summary>
/// State that can ask the engine for a callback at a processing time (hold times, cooldowns, absence, idle windows).
/// Each has at most one live entry in the <see cref="TimerQueue"/>: <see cref="DueAt"/> tells a live entry from a stale one.
/// </summary>
internal abstract class TimedState
{
    /// <summary>UTC ticks of the pending callback; 0 when none is pending.</summary>
    public long DueAt { get; set; }

    /// <summary>True once the state no longer belongs to a live rule and device; its timers are dropped.</summary>
    public abstract bool IsDetached { get; }

    public abstract void OnTimer(long now, RuleRuntime runtime);
}
