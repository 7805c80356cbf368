using System.Diagnostics;

using Iot.Ingest.Telemetry;

using Microsoft.Extensions.Options;

namespace Iot.Ingest.Mqtt;

/// <summary>
/// The loop behind <see cref="TelemetryIntake"/>: takes up to <see cref="IngestOptions.BatchSize"/> queued messages,
/// runs each through the <see cref="TelemetryPipeline"/> (so accepted ones are buffered in the store and queued for
/// the rules), and only then acknowledges them, in the order received. A message is acknowledged once it is stored or
/// rejected; if the process dies before, the broker sends it again (at least once).
/// </summary>
internal sealed class IntakeProcessor(TelemetryIntake intake, TelemetryPipeline pipeline, IngestMqttConnection connection, IngestMetrics metrics, IOptions<IngestOptions> options)
{
    private readonly int batchSize = options.Value.BatchSize;

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var batch = new List<IncomingTelemetry>(batchSize);
        while (await intake.Reader.WaitToReadAsync(cancellationToken))
        {
            while (batch.Count < batchSize && intake.Reader.TryRead(out var message))
            {
                batch.Add(message);
            }

            var started = Stopwatch.GetTimestamp();
            var accepted = 0;
            foreach (var message in batch)
            {
                if (await pipeline.IngestAsync(message.Device, message.Payload, message.Length, message.ReceivedAt, cancellationToken))
                {
                    accepted++;
                }
            }

            if (accepted > 0)
            {
                metrics.StoreWriteSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
                metrics.BatchPoints.Record(accepted);
            }

            foreach (var message in batch)
            {
                await connection.AcknowledgeAsync(message, cancellationToken);
            }

            batch.Clear();
        }
    }
}
