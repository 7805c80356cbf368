using System.Collections.Concurrent;
using System.Threading.Channels;

using Iot.Api.Alerts;
using Iot.Rules.Actions;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Tests.Engine;

public sealed class RunLoopTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_loop_processes_queued_messages_ticks_on_the_clock_and_ends_when_the_channel_completes()
    {
        var clock = new ManualTimeProvider();
        var sink = new ConcurrentSink();
        using var engine = new RuleEngine(sink, clock);
        engine.UpsertRule(Manifests.Rule("""
            metadata: {name: hot}
            spec:
              selector: {types: [thermostat]}
              condition: {threshold: {field: temperature, operator: ">", value: 30, for: 2m}}
              actions: [{alert: {severity: critical}}]
            """));
        engine.UpsertDevice(Manifests.Thermostat("t-1"));
        var channel = Channel.CreateUnbounded<TelemetryMessage>(new UnboundedChannelOptions { SingleReader = true });
        var loop = engine.RunAsync(channel.Reader, TimeSpan.FromSeconds(1));

        await channel.Writer.WriteAsync(new TelemetryMessage("t-1", clock.GetUtcNow(), new FieldValue[] { new("temperature", 33.0) }));
        await Until(() => engine.StatisticsOf("hot")?.Evaluations == 1);
        Assert.Empty(sink.Alerts);

        // The hold ends at 2m; only the loop's own tick can notice, since no message comes.
        var deadline = DateTime.UtcNow + Patience;
        while (sink.Alerts.IsEmpty && DateTime.UtcNow < deadline)
        {
            clock.Advance(TimeSpan.FromSeconds(30));
            await Task.Delay(5);
        }

        var alert = Assert.Single(sink.Alerts);
        Assert.Equal(AlertStatus.Firing, alert.Status);
        Assert.True(alert.StartsAt >= new ManualTimeProvider().GetUtcNow().AddMinutes(2));

        channel.Writer.Complete();
        await loop.WaitAsync(Patience);
    }

    [Fact]
    public async Task Cancelling_stops_the_loop()
    {
        using var engine = new RuleEngine(new ConcurrentSink(), new ManualTimeProvider());
        using var stop = new CancellationTokenSource();
        var loop = engine.RunAsync(Channel.CreateUnbounded<TelemetryMessage>().Reader, cancellationToken: stop.Token);

        await stop.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => loop.WaitAsync(Patience));
    }

    // Waits for the loop (another thread) to get somewhere; the test's logic does not depend on how long it takes.
    private static async Task Until(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the loop did not get there in time");
            await Task.Delay(5);
        }
    }

    private sealed class ConcurrentSink : IRuleActionSink
    {
        public ConcurrentQueue<AlertEvent> Alerts { get; } = new();

        public void Alert(AlertEvent alert) => Alerts.Enqueue(alert);

        public void Command(RuleCommand command)
        {
        }

        public void Publish(RulePublication publication)
        {
        }
    }
}
