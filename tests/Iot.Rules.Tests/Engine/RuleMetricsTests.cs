using System.Diagnostics.Metrics;

using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Tests.Engine;

public sealed class RuleMetricsTests
{
    [Fact]
    public void Evaluations_firings_and_errors_are_counted_per_rule_and_summed_over_engines()
    {
        using var metrics = new RuleMetrics();
        var clock = new ManualTimeProvider();
        var sink = new RecordingSink();
        using var partition1 = new RuleEngine(sink, clock, new RuleEngineOptions { OwnsDevice = id => id == "t-1" }, metrics);
        using var partition2 = new RuleEngine(sink, clock, new RuleEngineOptions { OwnsDevice = id => id == "t-2" }, metrics);
        foreach (var engine in new[] { partition1, partition2 })
        {
            engine.ApplyRules([Manifests.Rule("""
                metadata: {name: hot}
                spec:
                  selector: {types: [thermostat]}
                  condition: {threshold: {field: temperature, operator: ">", value: 30}}
                  actions: [{alert: {severity: critical}}]
                """), Manifests.Rule("""
                metadata: {name: trial}
                spec:
                  selector: {types: [thermostat]}
                  condition: {expression: 'temperature / humidity > 1'}
                  actions: [{alert: {severity: info}}]
                  mode: dryRun
                """)]);
            engine.ApplyDevices([Manifests.Thermostat("t-1"), Manifests.Thermostat("t-2")]);
        }

        partition1.Process(Message("t-1", ("temperature", 35.0), ("humidity", 10.0)));
        partition2.Process(Message("t-2", ("temperature", 35.0), ("humidity", 0.0)));
        partition2.Process(Message("t-2", ("temperature", 35.0)));

        var measured = Collect(metrics);
        Assert.Equal(3, measured[("iot_rules_evaluations_total", "rule=hot")]);
        Assert.Equal(3, measured[("iot_rules_evaluations_total", "rule=trial")]);
        Assert.Equal(2, measured[("iot_rules_firings_total", "rule=hot,mode=enforce")]);
        Assert.Equal(0, measured[("iot_rules_firings_total", "rule=hot,mode=dryRun")]);
        Assert.Equal(1, measured[("iot_rules_firings_total", "rule=trial,mode=dryRun")]);
        Assert.Equal(1, measured[("iot_rules_errors_total", "rule=trial,reason=division_by_zero")]);
        Assert.Equal(1, measured[("iot_rules_errors_total", "rule=trial,reason=missing_field")]);
        Assert.DoesNotContain(("iot_rules_errors_total", "rule=hot,reason=missing_field"), measured.Keys);
    }

    [Fact]
    public void Evaluation_latency_is_recorded_for_a_sample_of_messages()
    {
        using var metrics = new RuleMetrics();
        var samples = 0;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter && instrument.Name == "iot_rules_evaluation_seconds")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, seconds, _, _) =>
        {
            Assert.True(seconds >= 0);
            samples++;
        });
        listener.Start();
        using var engine = new RuleEngine(new RecordingSink(), new ManualTimeProvider(), metrics: metrics);
        engine.UpsertDevice(Manifests.Thermostat("t-1"));

        for (var i = 0; i < 640; i++)
        {
            engine.Process(Message("t-1", ("temperature", 20.0)));
        }

        Assert.Equal(10, samples);
    }

    private static TelemetryMessage Message(string device, params (string Name, TelemetryValue Value)[] fields) =>
        new(device, DateTimeOffset.UnixEpoch, fields.Select(f => new FieldValue(f.Name, f.Value)).ToArray());

    private static Dictionary<(string Instrument, string Tags), long> Collect(RuleMetrics metrics)
    {
        var measured = new Dictionary<(string, string), long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == metrics.Meter)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
            measured[(instrument.Name, string.Join(",", tags.ToArray().Select(t => $"{t.Key}={t.Value}")))] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return measured;
    }
}
