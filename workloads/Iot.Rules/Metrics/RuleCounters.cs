namespace Iot.Rules.Metrics;

/// <summary>
/// The counts of one rule in one engine. Only the engine's thread writes them, with plain increments (no tag lookups,
/// no interlocked operations on the hot path); <see cref="RuleMetrics"/> and <see cref="RuleEngine.Statistics"/> read
/// them from other threads. They outlive changes to the rule's spec, so the metrics stay monotonic.
/// </summary>
internal sealed class RuleCounters(string rule)
{
    private readonly long[] _errors = new long[RuleErrorReasons.All.Length];
    private long _evaluations;
    private long _firings;
    private long _dryRunFirings;
    private long _suppressed;
    private long _lastFiredTicks;
    private string? _lastProblem;

    public string Rule { get; } = rule;

    public long Evaluations => Volatile.Read(ref _evaluations);

    public long Firings => Volatile.Read(ref _firings);

    public long DryRunFirings => Volatile.Read(ref _dryRunFirings);

    public long Suppressed => Volatile.Read(ref _suppressed);

    public DateTimeOffset? LastFired => Volatile.Read(ref _lastFiredTicks) is var ticks and > 0 ? new DateTimeOffset(ticks, TimeSpan.Zero) : null;

    public string? LastProblem => Volatile.Read(ref _lastProblem);

    public long Errors(RuleErrorReason reason) => Volatile.Read(ref _errors[(int)reason]);

    public void Evaluated() => _evaluations++;

    public void Fired(bool dryRun, long now)
    {
        if (dryRun)
        {
            _dryRunFirings++;
        }
        else
        {
            _firings++;
        }

        Volatile.Write(ref _lastFiredTicks, now);
    }

    public void SuppressedByCooldown() => _suppressed++;

    public void Error(RuleErrorReason reason) => _errors[(int)reason]++;

    /// <summary>Counts the error and keeps its explanation for <see cref="RuleStatistics.LastProblem"/>.</summary>
    public void Problem(RuleErrorReason reason, string message)
    {
        _errors[(int)reason]++;
        Volatile.Write(ref _lastProblem, message);
    }
}
