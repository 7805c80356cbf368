namespace Iot.Rules.Engine;

/// <summary>
/// Deadlines in processing time, earliest first. Rescheduling earlier adds an entry and leaves the old one to be
/// skipped as stale; asking for a later time than one already pending keeps the earlier, and the state re-checks
/// (and reschedules) when it is called. So a busy device costs no queue operation per message.
/// </summary>
internal sealed class TimerQueue
{
    private readonly PriorityQueue<TimedState, long> _queue = new();

    /// <summary>The earliest deadline, possibly of a stale entry (an early wake-up is harmless).</summary>
    public long? NextDue => _queue.TryPeek(out _, out var due) ? due : null;

    public void Schedule(TimedState state, long due)
    {
        if (state.DueAt != 0 && state.DueAt <= due)
        {
            return;
        }

        state.DueAt = due;
        _queue.Enqueue(state, due);
    }

    /// <summary>Calls every state whose deadline is at or before <paramref name="now"/>, in deadline order.</summary>
    public void RunDue(long now, RuleRuntime runtime)
    {
        while (_queue.TryPeek(out var state, out var due) && due <= now)
        {
            _queue.Dequeue();
            if (state.DueAt != due || state.IsDetached)
            {
                continue;
            }

            state.DueAt = 0;
            state.OnTimer(now, runtime);
        }
    }
}
