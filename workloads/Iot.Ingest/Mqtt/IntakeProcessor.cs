using System.Threading.Channels;

using Iot.Ingest.Telemetry;

using Microsoft.Extensions.Options;

namespace Iot.Ingest.Mqtt;

/// <summary>
/// The loop behind <see cref="TelemetryIntake"/>: takes up to <see cref="IngestOptions.BatchSize"/> queued messages,
/// validates each with the <see cref="TelemetryPipeline"/>, buffers the accepted ones in the store at once, hands them
/// to the rule engine, and only then has them acknowledged, in the order received, by a second loop that sends
/// the acknowledgements while the next batch is processed. A message is acknowledged once it is stored or rejected; if
/// the process dies before, the broker sends it again (at least once).
/// </summary>
internal sealed class IntakeProcessor(TelemetryIntake intake, TelemetryPipeline pipeline, IngestMqttConnection connection, IOptions<IngestOptions> options)
{
    private readonly int batchSize = options.Value.BatchSize;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        // Unbounded, yet never more than the receive maximum: the broker sends no more until these are acknowledged.
        var stored = Channel.CreateUnbounded<IncomingTelemetry>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var acknowledging = AcknowledgeAsync(stored.Reader, cancellationToken);
        try
        {
            await ProcessAsync(stored.Writer, cancellationToken);
        }
        finally
        {
            stored.Writer.TryComplete();
        }

        await acknowledging;
    }

    private async Task ProcessAsync(ChannelWriter<IncomingTelemetry> stored, CancellationToken cancellationToken)
    {
        var batch = new List<IncomingTelemetry>(batchSize);
        var accepted = new List<AcceptedTelemetry>(batchSize);
        while (await intake.Reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < batchSize && intake.Reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            foreach (var message in batch)
            {
                pipeline.Validate(message.Device, message.Payload, message.Length, message.ReceivedAt, accepted);
            }

            // One hand-over to the store and a single wake-up of the rule engine per batch, not per message.
            await pipeline.StoreAsync(accepted, cancellationToken);
            foreach (var message in batch)
            {
                stored.TryWrite(message);
            }

            batch.Clear();
            accepted.Clear();
        }
    }

    private async Task AcknowledgeAsync(ChannelReader<IncomingTelemetry> stored, CancellationToken cancellationToken)
    {
        while (await stored.WaitToReadAsync(cancellationToken))
        {
            while (stored.TryRead(out var message))
            {
                await connection.AcknowledgeAsync(message, cancellationToken);
            }
        }
    }
}
