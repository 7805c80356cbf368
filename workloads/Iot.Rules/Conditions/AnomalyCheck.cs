using Iot.Rules.Engine;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Conditions;

/// <summary>
/// <c>anomaly</c>: a value more than <c>zScore</c> standard deviations from the mean of the device's earlier values in
/// the last <c>window</c> (message time). The history is kept in 60 panes of window/60 with count, sum and sum of
/// squares (shifted by the device's first value for numerical stability), so a message costs O(1) and the window is
/// exact to a pane. Warm-up: a device is judged once its history holds
/// <see cref="RuleEngineOptions.AnomalyMinimumSamples"/> values; while every value in the history is the same (no
/// deviation) nothing is judged an anomaly. The value reported is the field's value.
/// </summary>
internal sealed class AnomalyCheck(string field, long windowTicks, double zScore, int minimumSamples) : ConditionCheck
{
    private const int Panes = 60;

    public override string Field { get; } = field;

    public long PaneTicks { get; } = Math.Max(1, (windowTicks + Panes - 1) / Panes);

    public double ZScore { get; } = zScore;

    public int MinimumSamples { get; } = Math.Max(2, minimumSamples);

    public override ConditionMonitor CreateMonitor(RuleBinding binding, bool isClear) => new Monitor(this, binding, isClear);

    public override string? ProblemWith(DeviceInfo device) => FieldProblem(device, Field, numeric: true);

    private struct Pane
    {
        public long Number;
        public long Count;
        public double Sum;
        public double SumOfSquares;
    }

    private sealed class Monitor(AnomalyCheck check, RuleBinding binding, bool isClear) : ConditionMonitor(binding, isClear)
    {
        private readonly Pane[] _panes = new Pane[Panes + 1];
        private bool _started;
        private double _shift;
        private long _current;

        // Totals of the closed panes inside the window; the current pane is added when judging.
        private long _count;
        private double _sum;
        private double _sumOfSquares;

        public override void Observe(in TelemetryMessage message, long now, RuleRuntime runtime)
        {
            if (!TryReadNumber(message, check.Field, out var value))
            {
                return;
            }

            var number = EventTime.Index(EventTime.Ticks(message.Timestamp), check.PaneTicks);
            if (!_started)
            {
                _started = true;
                _shift = value;
                Open(number);
            }
            else if (number > _current)
            {
                Open(number);
            }

            // A late value (an older pane) joins the current pane: the history is exact to a pane only.
            ref var current = ref _panes[Slot(_current)];
            var n = _count + current.Count;
            if (n >= check.MinimumSamples)
            {
                var sum = _sum + current.Sum;
                var mean = sum / n;
                var variance = Math.Max(0, (_sumOfSquares + current.SumOfSquares - (sum * mean)) / (n - 1));
                var deviation = Math.Sqrt(variance);
                if (deviation > 1e-9 * Math.Max(1, Math.Abs(mean + _shift)))
                {
                    var z = Math.Abs(value - _shift - mean) / deviation;
                    Report(z > check.ZScore, value, now, runtime, message.Fields);
                }
            }

            var x = value - _shift;
            current.Count++;
            current.Sum += x;
            current.SumOfSquares += x * x;
        }

        private static int Slot(long number) => (int)(((number % (Panes + 1)) + Panes + 1) % (Panes + 1));

        // Starts pane `number` and sums the closed panes still inside the window ending with it.
        private void Open(long number)
        {
            _current = number;
            _panes[Slot(number)] = new Pane { Number = number };
            _count = 0;
            _sum = 0;
            _sumOfSquares = 0;
            foreach (ref readonly var pane in _panes.AsSpan())
            {
                if (pane.Count > 0 && pane.Number < number && pane.Number >= number - Panes)
                {
                    _count += pane.Count;
                    _sum += pane.Sum;
                    _sumOfSquares += pane.SumOfSquares;
                }
            }
        }
    }
}
