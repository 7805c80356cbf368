using System.Threading.Channels;

using Iot.Rules.Telemetry;

namespace Iot.Ingest.Telemetry;

/// <summary>Validated messages on their way to the rule engine's loop; bounded, so a slow engine slows intake rather than growing memory.</summary>
internal sealed class RuleQueue(int capacity)
{
    private readonly Channel<TelemetryMessage> channel = Channel.CreateBounded<TelemetryMessage>(new BoundedChannelOptions(capacity) { SingleReader = true });

    public ChannelReader<TelemetryMessage> Reader => channel.Reader;

    public ValueTask WriteAsync(TelemetryMessage message, CancellationToken cancellationToken) =>
        channel.Writer.TryWrite(message) ? ValueTask.CompletedTask : channel.Writer.WriteAsync(message, cancellationToken);
}
