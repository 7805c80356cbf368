using System.Diagnostics.Metrics;

namespace Iot.Rules.Metrics;

/// <summary>
/// The rule engine's instruments on the Meter <c>Iot.Rules</c>: <c>iot_rules_evaluations_total{rule}</c>,
/// <c>iot_rules_firings_total{rule,mode}</c>, <c>iot_rules_errors_total{rule,reason}</c> and
/// <c>iot_rules_evaluation_seconds</c> (the time one message takes through its rules, sampled one message in 64).
/// One instance serves every engine (partition) of a process; counts are summed per rule when collected, so the hot
/// path only increments fields.
/// </summary>
public sealed class RuleMetrics : IDisposable
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "Iot.Rules";

    private readonly Lock _gate = new();
    private readonly List<RuleCounters> _counters = [];
    private readonly bool _ownsMeter;

    /// <summary>Creates the instruments on a meter from <paramref name="meterFactory"/>, or on a meter of its own.</summary>
    public RuleMetrics(IMeterFactory? meterFactory = null)
    {
        _ownsMeter = meterFactory is null;
        Meter = meterFactory?.Create(new MeterOptions(MeterName)) ?? new Meter(MeterName);
        Meter.CreateObservableCounter("iot_rules_evaluations_total", ObserveEvaluations, description: "Rule evaluations: one rule considered for one device's message or timer.");
        Meter.CreateObservableCounter("iot_rules_firings_total", ObserveFirings, description: "Rule firings per device; mode=dryRun counts firings that did not act.");
        Meter.CreateObservableCounter("iot_rules_errors_total", ObserveErrors, description: "Failed evaluations and refused actions, by reason.");
        Latency = Meter.CreateHistogram<double>("iot_rules_evaluation_seconds", "s", "Time one message takes through its device's rules (sampled).");
    }

    /// <summary>The meter the instruments live on.</summary>
    public Meter Meter { get; }

    internal Histogram<double> Latency { get; }

    internal void Register(RuleCounters counters)
    {
        lock (_gate)
        {
            _counters.Add(counters);
        }
    }

    public void Dispose()
    {
        if (_ownsMeter)
        {
            Meter.Dispose();
        }
    }

    private List<Measurement<long>> ObserveEvaluations() =>
        Sum(c => c.Evaluations, rule => [new("rule", rule)]);

    private List<Measurement<long>> ObserveFirings() =>
    [
        .. Sum(c => c.Firings, rule => [new("rule", rule), new("mode", "enforce")]),
        .. Sum(c => c.DryRunFirings, rule => [new("rule", rule), new("mode", "dryRun")]),
    ];

    private List<Measurement<long>> ObserveErrors()
    {
        var measurements = new List<Measurement<long>>();
        foreach (var reason in RuleErrorReasons.All)
        {
            var label = RuleErrorReasons.Label(reason);
            measurements.AddRange(Sum(c => c.Errors(reason), rule => [new("rule", rule), new("reason", label)], skipZero: true));
        }

        return measurements;
    }

    // One measurement per rule, summed over the engines (partitions) that count it.
    private List<Measurement<long>> Sum(Func<RuleCounters, long> read, Func<string, KeyValuePair<string, object?>[]> tags, bool skipZero = false)
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        lock (_gate)
        {
            foreach (var counters in _counters)
            {
                totals[counters.Rule] = totals.GetValueOrDefault(counters.Rule) + read(counters);
            }
        }

        return [.. totals.Where(t => !skipZero || t.Value > 0).Select(t => new Measurement<long>(t.Value, tags(t.Key)))];
    }
}
