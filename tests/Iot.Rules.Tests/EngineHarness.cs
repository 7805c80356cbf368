using Iot.Api.Alerts;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Tests;

/// <summary>An engine on a manual clock with a recording sink: tests send messages and move time.</summary>
internal sealed class EngineHarness : IDisposable
{
    public EngineHarness(RuleEngineOptions? options = null, ManualTimeProvider? clock = null)
    {
        Clock = clock ?? new ManualTimeProvider();
        Engine = new RuleEngine(Sink, Clock, options ?? new RuleEngineOptions { Namespace = "building-a" });
    }

    public ManualTimeProvider Clock { get; }

    public RecordingSink Sink { get; } = new();

    public RuleEngine Engine { get; }

    public List<AlertEvent> Alerts => Sink.Alerts;

    public DateTimeOffset Now => Clock.GetUtcNow();

    public EngineHarness WithRule(string yaml)
    {
        Engine.UpsertRule(Manifests.Rule(yaml));
        return this;
    }

    public EngineHarness WithThermostats(params string[] ids)
    {
        foreach (var id in ids)
        {
            Engine.UpsertDevice(Manifests.Thermostat(id));
        }

        return this;
    }

    /// <summary>A message from <paramref name="device"/> stamped with the current time.</summary>
    public void Send(string device, params (string Name, TelemetryValue Value)[] fields) => SendAt(device, Now, fields);

    public void SendAt(string device, DateTimeOffset timestamp, params (string Name, TelemetryValue Value)[] fields) =>
        Engine.Process(new TelemetryMessage(device, timestamp, fields.Select(f => new FieldValue(f.Name, f.Value)).ToArray()));

    /// <summary>Moves the clock and lets the engine run what fell due, as ingest's tick loop would.</summary>
    public void Advance(TimeSpan by)
    {
        Clock.Advance(by);
        Engine.Tick();
    }

    /// <summary>Sends <paramref name="value"/> as <paramref name="field"/> every <paramref name="every"/> for <paramref name="duration"/>, ticking in between.</summary>
    public void Stream(string device, string field, TelemetryValue value, TimeSpan duration, TimeSpan every)
    {
        for (var elapsed = TimeSpan.Zero; elapsed < duration; elapsed += every)
        {
            Send(device, (field, value));
            Advance(every);
        }
    }

    public RuleStatistics Stats(string rule) => Engine.StatisticsOf(rule) ?? throw new InvalidOperationException($"rule {rule} never ran");

    public void Dispose() => Engine.Dispose();
}
