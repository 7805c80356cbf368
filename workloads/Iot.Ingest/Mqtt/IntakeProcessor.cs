using System.Diagnostics;
using System.Threading.Channels;

using Iot.Ingest.Telemetry;
using Iot.Rules.Telemetry;

using Microsoft.Extensions.Options;

namespace Iot.Ingest.Mqtt;

/// <summary>
/// The loop behind <see cref="TelemetryIntake"/>: takes up to <see cref="IngestOptions.BatchSize"/> queued messages,
/// runs each through the <see cref="TelemetryPipeline"/> (accepted ones are buffered in the store), hands the accepted
/// ones to the rule engine, and only then has them acknowledged, in the order received, by a second loop that sends
/// the acknowledgements while the next batch is processed. A message is acknowledged once it is stored or rejected; if
/// the process dies before, the broker sends it again (at least once).
/// </summary>
internal sealed class IntakeProcessor(TelemetryIntake intake, TelemetryPipeline pipeline, IngestMqttConnection connection, IngestMetrics metrics, IOptions<IngestOptions> options)
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
        var accepted = new List<TelemetryMessage>(batchSize);
        while (await intake.Reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < batchSize && intake.Reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            var started = Stopwatch.GetTimestamp();
            foreach (var message in batch)
            {
                if (await pipeline.StoreAsync(message.Device, message.Payload, message.Length, message.ReceivedAt, cancellationToken) is { } evaluation)
                {
                    accepted.Add(evaluation);
                }
            }

            if (accepted.Count > 0)
            {
                metrics.StoreWriteSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                metrics.BatchPoints.Record(accepted.Count);
            }

            // The engine wakes once per batch rather than once per message.
            foreach (var evaluation in accepted)
            {
                await pipeline.EvaluateAsync(evaluation, cancellationToken);
            }

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
