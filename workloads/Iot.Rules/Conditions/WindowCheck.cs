using Iot.Api.EdgeRules;
using Iot.Api.Rooms;
using Iot.Rules.Engine;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Conditions;

/// <summary>
/// <c>window</c>: an aggregate of the field over a time window, compared with a value when the window closes.
/// </summary>
/// <remarks>
/// <para>Windows run on message timestamps (event time), aligned to the Unix epoch; a window of size S ending at E
/// covers [E − S, E), and ends come every <c>advance</c> (tumbling: advance = size). Each device keeps one partial
/// aggregate (count, sum, min, max) per pane of gcd(size, advance), so a message costs O(1) and closing a window
/// combines size/pane panes.</para>
/// <para>A window closes when a message at or after its end arrives, or, when the device falls silent, on the engine's
/// timer once the device's clock (its last timestamp, advanced by the processing time since) has passed the end by
/// <see cref="RuleEngineOptions.WindowGrace"/>. The first window judged is the first that starts at or after the
/// device's first message, so a window the engine saw only part of is never judged. Messages older than every window
/// still open are dropped and counted (<c>late_message</c>). An empty window has count 0 and sum 0; its mean, min and
/// max do not exist, so a condition on them does not hold.</para>
/// </remarks>
internal sealed class WindowCheck : ConditionCheck
{
    /// <summary>The most panes a window may have: each device keeps 40 bytes a pane.</summary>
    public const int MaxPanes = 1440;

    private WindowCheck(WindowCondition spec, long sizeTicks, long advanceTicks, long paneTicks, long graceTicks)
    {
        Field = spec.Field;
        Function = spec.Function;
        Operator = spec.Operator;
        Threshold = spec.Value;
        SizeTicks = sizeTicks;
        AdvanceTicks = advanceTicks;
        PaneTicks = paneTicks;
        PaneCount = (int)(sizeTicks / paneTicks);
        GraceTicks = graceTicks;
    }

    public override string Field { get; }

    public Aggregate Function { get; }

    public ComparisonOperator Operator { get; }

    public double Threshold { get; }

    public long SizeTicks { get; }

    public long AdvanceTicks { get; }

    public long PaneTicks { get; }

    public int PaneCount { get; }

    public long GraceTicks { get; }

    public static WindowCheck Create(WindowCondition spec, long sizeTicks, long? advanceTicks, long graceTicks)
    {
        var advance = advanceTicks ?? sizeTicks;
        if (advance > sizeTicks)
        {
            throw new FormatException($"window.advance ({spec.Advance}) must not exceed window.size ({spec.Size})");
        }

        var pane = (long)System.Numerics.BigInteger.GreatestCommonDivisor(sizeTicks, advance);
        if (sizeTicks / pane > MaxPanes)
        {
            throw new FormatException($"window.size {spec.Size} with advance {spec.Advance} needs {sizeTicks / pane} panes of {TimeSpan.FromTicks(pane)}; "
                + $"at most {MaxPanes} are kept per device: make size a multiple of advance");
        }

        return new WindowCheck(spec, sizeTicks, advance, pane, graceTicks);
    }

    public override ConditionMonitor CreateMonitor(RuleBinding binding, bool isClear) => new Monitor(this, binding, isClear);

    public override string? ProblemWith(DeviceInfo device) => FieldProblem(device, Field, numeric: Function != Aggregate.Count);

    private struct Pane
    {
        public long Number;
        public long Count;
        public double Sum;
        public double Min;
        public double Max;
    }

    private sealed class Monitor(WindowCheck check, RuleBinding binding, bool isClear) : ConditionMonitor(binding, isClear)
    {
        private readonly Pane[] _panes = new Pane[check.PaneCount]; // allocated next to the monitor, for locality
        private bool _started;
        private long _nextEnd;       // event ticks of the next window to close
        private long _oldestOpenPane; // the first pane of that window: older panes are closed for good
        private long _maxPane;       // the newest pane with data
        private long _lastEvent;     // the newest message timestamp (event ticks)
        private long _lastEventSeen; // processing time when it arrived
        private long _firstStart;    // start of the first window judged

        public override void Observe(in TelemetryMessage message, long now, RuleRuntime runtime)
        {
            var t = EventTime.Ticks(message.Timestamp);
            if (!_started)
            {
                Begin(t);
            }
            else
            {
                CloseUntil(t, now, runtime, message.Fields);
            }

            if (t >= _lastEvent)
            {
                _lastEvent = t;
                _lastEventSeen = now;
            }

            if (!message.TryGetField(check.Field, out var raw))
            {
                Error(RuleErrorReason.MissingField);
                return;
            }

            if (check.Function != Aggregate.Count && !raw.IsNumeric)
            {
                Error(RuleErrorReason.WrongType);
                return;
            }

            if (t < _firstStart)
            {
                return; // before the first window judged: not an error, just unseen history
            }

            var number = EventTime.Index(t, check.PaneTicks);
            if (number < _oldestOpenPane)
            {
                Error(RuleErrorReason.LateMessage);
                return;
            }

            // The open panes are consecutive numbers, so they map to distinct slots.
            ref var pane = ref _panes[Slot(number)];
            var value = raw.AsNumber;
            if (pane.Number != number || pane.Count == 0)
            {
                pane = new Pane { Number = number, Min = value, Max = value };
            }
            else if (value < pane.Min)
            {
                pane.Min = value;
            }
            else if (value > pane.Max)
            {
                pane.Max = value;
            }

            pane.Count++;
            pane.Sum += value;
            if (number > _maxPane)
            {
                _maxPane = number;
            }

            if (DueAt == 0)
            {
                runtime.Schedule(this, now + (_nextEnd - _lastEvent) + check.GraceTicks);
            }
        }

        public override void OnTimer(long now, RuleRuntime runtime)
        {
            // The device's clock, extrapolated: its last timestamp plus the processing time since it arrived.
            var watermark = _lastEvent + (now - _lastEventSeen) - check.GraceTicks;
            if (watermark >= _nextEnd)
            {
                Binding.Rule.Counters.Evaluated();
                CloseUntil(watermark, now, runtime, default);
            }

            if (HasDataFor(_nextEnd))
            {
                runtime.Schedule(this, now + (_nextEnd - watermark));
            }
        }

        private void Begin(long t)
        {
            _started = true;
            _maxPane = long.MinValue;
            MoveTo(EventTime.CeilingMultiple(t + check.SizeTicks, check.AdvanceTicks));
            _firstStart = _nextEnd - check.SizeTicks;
        }

        private bool HasDataFor(long end) => _maxPane >= (end / check.PaneTicks) - check.PaneCount;

        // Judges every window that ends at or before the watermark, oldest first.
        private void CloseUntil(long watermark, long now, RuleRuntime runtime, ReadOnlyMemory<FieldValue> fields)
        {
            while (_nextEnd <= watermark)
            {
                var empty = !HasDataFor(_nextEnd);
                var aggregate = Combine(_nextEnd);
                Report(aggregate is { } a && Comparison.Test(check.Operator, a, check.Threshold), aggregate, now, runtime, fields);
                MoveTo(empty
                    ? (EventTime.Index(watermark, check.AdvanceTicks) + 1) * check.AdvanceTicks // all windows up to the watermark are empty alike
                    : _nextEnd + check.AdvanceTicks);
            }
        }

        private int Slot(long number) =>
            check.PaneCount == 1 ? 0
            : number >= 0 ? (int)(number % check.PaneCount)
            : (int)(((number % check.PaneCount) + check.PaneCount) % check.PaneCount);

        private void MoveTo(long nextEnd)
        {
            _nextEnd = nextEnd;
            _oldestOpenPane = (nextEnd / check.PaneTicks) - check.PaneCount;
        }

        private double? Combine(long end)
        {
            var last = end / check.PaneTicks;
            long count = 0;
            double sum = 0, min = double.PositiveInfinity, max = double.NegativeInfinity;
            foreach (ref readonly var pane in _panes.AsSpan())
            {
                if (pane.Count > 0 && pane.Number < last && pane.Number >= last - check.PaneCount)
                {
                    count += pane.Count;
                    sum += pane.Sum;
                    min = Math.Min(min, pane.Min);
                    max = Math.Max(max, pane.Max);
                }
            }

            return check.Function switch
            {
                Aggregate.Count => count,
                Aggregate.Sum => sum,
                _ when count == 0 => null,
                Aggregate.Mean => sum / count,
                Aggregate.Min => min,
                _ => max,
            };
        }
    }
}
