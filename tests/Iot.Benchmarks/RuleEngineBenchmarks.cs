using System.Diagnostics;
using System.Diagnostics.Metrics;

using Iot.Api.Alerts;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Rooms;
using Iot.Rules;
using Iot.Rules.Actions;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

using k8s.Models;

namespace Iot.Benchmarks;

/// <summary>
/// Issue 6 (a): the rule engine alone on one thread. 10,000 devices in 100 label groups; 1,000 rules, ten per group
/// (half thresholds, some with a hold time; half windows: tumbling and hopping, mean and max), so each message goes
/// through its device's 10 rules. Each device reports every 10 s of message time, temperatures drifting around a
/// per-device level so that a tenth of the devices cross some thresholds. The goal is 1,000,000 events/s.
/// </summary>
internal static class RuleEngineBenchmarks
{
    private const int Devices = 10_000;
    private const int Rules = 1_000;
    private const int Groups = 100;
    private const int DistinctMessages = 100_000;
    private const double Goal = 1_000_000;

    // Ingest resolves a topic's device id to the Device's name once; formatting ids per message would measure string.Format.
    private static readonly string[] DeviceIds = [.. Enumerable.Range(0, Devices).Select(i => $"dev-{i:00000}")];

    public static Task RunAsync(BenchmarkTable table)
    {
        var sink = new CountingSink();
        using var metrics = new RuleMetrics();
        using var listener = ListenTo(metrics);
        using var engine = new RuleEngine(sink, TimeProvider.System, new RuleEngineOptions { Namespace = "bench" }, metrics);

        var devices = Enumerable.Range(0, Devices).Select(Device).ToList();
        var rules = Enumerable.Range(0, Rules).Select(j => Rule(j, tweak: 0)).ToList();
        var clock = Stopwatch.StartNew();
        engine.ApplyDevices(devices);
        engine.ApplyRules(rules);
        engine.ApplyPendingChanges();
        var applied = clock.Elapsed;

        var oneRuleChanged = TimeSpan.MaxValue;
        for (var i = 1; i <= 3; i++) // the first change also compiles the code that applies it
        {
            clock.Restart();
            engine.UpsertRule(Rule(Rules - 1, tweak: i / 10.0));
            engine.ApplyPendingChanges();
            oneRuleChanged = TimeSpan.FromTicks(Math.Min(oneRuleChanged.Ticks, clock.Elapsed.Ticks));
        }

        var fields = Enumerable.Range(0, DistinctMessages).Select(Fields).ToArray();
        var start = DateTimeOffset.UtcNow;
        long sent = 0;
        RunBatched(engine, fields, start, ref sent, 2_000_000); // warm-up: JIT, window panes, steady state

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        var batched = Measure(() => RunBatched(engine, fields, start, ref sent, 10_000_000), 10_000_000);
        var perCpuSecond = 10_000_000 / (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds;
        var bytesPerEvent = (GC.GetAllocatedBytesForCurrentThread() - allocated) / 10_000_000.0;
        var single = Measure(() => RunSingly(engine, fields, start, ref sent, 5_000_000), 5_000_000);

        var evaluations = engine.Statistics().Sum(s => s.Evaluations);
        if (Environment.GetEnvironmentVariable("BENCH_VERBOSE") is not null)
        {
            Console.Error.WriteLine($"rules: {sent:N0} messages, {evaluations:N0} evaluations, {sink.Alerts:N0} alert events, {engine.Statistics().Sum(s => s.Errors.Values.Sum()):N0} errors");
        }

        table.Add("rules (a): 1,000 rules x 10,000 devices, one thread, batches of 1,000 (goal)", batched, "events/s", Goal);
        table.Add("  the same, per second of the process's CPU time (goal)", perCpuSecond, "events/s", Goal);
        table.Add("  the same, one message per call (goal)", single, "events/s", Goal);
        table.Add("  rule evaluations per event (each device's own rules)", (double)evaluations / sent, "rules");
        table.Add("  managed allocation per event (alerts included)", bytesPerEvent, "bytes");
        table.Add("  applying 10,000 Devices and 1,000 EdgeRules from scratch", applied.TotalSeconds, "s");
        table.Add("  applying one changed rule", oneRuleChanged.TotalMilliseconds, "ms");
        return Task.CompletedTask;
    }

    private static double Measure(Action run, int events)
    {
        var clock = Stopwatch.StartNew();
        run();
        return events / clock.Elapsed.TotalSeconds;
    }

    // Message k comes from device k % 10,000 at start + k ms: each device every 10 s of message time.
    private static TelemetryMessage Message(FieldValue[][] fields, DateTimeOffset start, long k) =>
        new(DeviceIds[k % Devices], start.AddMilliseconds(k), fields[k % DistinctMessages]);

    private static void RunBatched(RuleEngine engine, FieldValue[][] fields, DateTimeOffset start, ref long sent, int count)
    {
        var batch = new TelemetryMessage[1_000];
        for (var done = 0; done < count; done += batch.Length)
        {
            for (var i = 0; i < batch.Length; i++)
            {
                batch[i] = Message(fields, start, sent++);
            }

            engine.Process(batch);
            if (done % 100_000 == 0)
            {
                engine.Tick();
            }
        }
    }

    private static void RunSingly(RuleEngine engine, FieldValue[][] fields, DateTimeOffset start, ref long sent, int count)
    {
        for (var done = 0; done < count; done++)
        {
            engine.Process(Message(fields, start, sent++));
            if (done % 100_000 == 0)
            {
                engine.Tick();
            }
        }
    }

    // Message k's fields: a per-device level, a slow swing of ±1.5 over 100 s and a little noise.
    private static FieldValue[] Fields(int k)
    {
        var device = k % Devices;
        var round = k / Devices;
        var level = 20.0 + (device % 10);
        var temperature = level + (1.5 * Math.Sin(2 * Math.PI * round / 10)) + (0.3 * Math.Sin(device * 7.3 + round));
        return [new("temperature", temperature), new("humidity", 40.0 + (device % 20))];
    }

    private static Device Device(int i) => new()
    {
        Metadata = new V1ObjectMeta { Name = DeviceIds[i], NamespaceProperty = "bench", Labels = new Dictionary<string, string> { ["group"] = $"g{i % Groups}" } },
        Spec = new DeviceSpec
        {
            Type = "thermostat",
            Room = $"room-{i % Groups}",
            Telemetry = [new TelemetryField { Name = "temperature", Type = TelemetryType.Number }, new TelemetryField { Name = "humidity", Type = TelemetryType.Number }],
            Commands = ["setpoint"],
        },
    };

    private static EdgeRule Rule(int j, double tweak)
    {
        var condition = (j % 4) switch
        {
            0 => new RuleCondition { Threshold = new ThresholdCondition { Field = "temperature", Operator = ComparisonOperator.GreaterThan, Value = 30 + (j % 3) + tweak } },
            1 => new RuleCondition { Threshold = new ThresholdCondition { Field = "temperature", Operator = ComparisonOperator.GreaterThan, Value = 29 + (j % 3) + tweak, For = "1m" } },
            2 => new RuleCondition { Window = new WindowCondition { Field = "temperature", Function = Aggregate.Mean, Size = "5m", Operator = ComparisonOperator.GreaterThan, Value = 28 + (j % 3) + tweak } },
            _ => new RuleCondition { Window = new WindowCondition { Field = "temperature", Function = Aggregate.Max, Size = "5m", Advance = "1m", Operator = ComparisonOperator.GreaterThan, Value = 30 + (j % 3) + tweak } },
        };
        return new EdgeRule
        {
            Metadata = new V1ObjectMeta { Name = $"rule-{j:0000}", NamespaceProperty = "bench" },
            Spec = new EdgeRuleSpec
            {
                Selector = new DeviceSelector { MatchLabels = new Dictionary<string, string> { ["group"] = $"g{j % Groups}" } },
                Condition = condition,
                Actions = [new RuleAction { Alert = new AlertAction { Severity = Severity.Warning, Summary = "{device} in {room} at {value}" } }],
                Cooldown = "10m",
            },
        };
    }

    // What a metrics exporter does: listen to every instrument, so the sampled latency histogram is recorded.
    private static MeterListener ListenTo(RuleMetrics metrics)
    {
        var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter == metrics.Meter)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((_, _, _, _) => { });
        listener.Start();
        return listener;
    }

    private sealed class CountingSink : IRuleActionSink
    {
        public long Alerts { get; private set; }

        public void Alert(AlertEvent alert) => Alerts++;

        public void Command(RuleCommand command)
        {
        }

        public void Publish(RulePublication publication)
        {
        }
    }
}
