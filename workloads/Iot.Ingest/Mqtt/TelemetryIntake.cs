using System.Threading.Channels;

namespace Iot.Ingest.Mqtt;

/// <summary>
/// Telemetry received from the broker and not yet stored: the MQTT client's receive handler queues each message and
/// returns at once (the next one is delivered while this one is processed); <see cref="IntakeProcessor"/> stores and
/// then acknowledges. Bounded by <see cref="IngestOptions.IntakeCapacity"/>, which is also the MQTT 5 receive maximum.
/// </summary>
internal sealed class TelemetryIntake(int capacity)
{
    private readonly Channel<IncomingTelemetry> channel = Channel.CreateBounded<IncomingTelemetry>(new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true });

    public int Count => channel.Reader.Count;

    public ChannelReader<IncomingTelemetry> Reader => channel.Reader;

    public ValueTask WriteAsync(IncomingTelemetry message, CancellationToken cancellationToken) =>
        channel.Writer.TryWrite(message) ? ValueTask.CompletedTask : channel.Writer.WriteAsync(message, cancellationToken);
}
