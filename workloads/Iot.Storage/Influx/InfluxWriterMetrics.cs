using System.Diagnostics.Metrics;

namespace Iot.Storage.Influx;

// The writer's instruments, on the meter "Iot.Storage" (from the host's IMeterFactory when there is one).
internal sealed class InfluxWriterMetrics : IDisposable
{
    public const string MeterName = "Iot.Storage";

    private readonly Meter meter;
    private readonly bool ownsMeter;

    public InfluxWriterMetrics(IMeterFactory? factory, Func<long> spoolBytes, Func<long> bufferedPoints)
    {
        ownsMeter = factory is null;
        meter = factory?.Create(MeterName) ?? new Meter(MeterName);
        PointsWritten = meter.CreateCounter<long>("iot_storage_points_written_total", description: "Points InfluxDB accepted.");
        WriteErrors = meter.CreateCounter<long>("iot_storage_write_errors_total", description: "Failed write requests by reason: connection, timeout, server_error, rejected.");
        WriteSeconds = meter.CreateHistogram<double>("iot_storage_write_seconds", "s", "Duration of successful write requests.");
        BatchPoints = meter.CreateHistogram<int>("iot_storage_batch_points", description: "Points per write request sent.");
        PointsDropped = meter.CreateCounter<long>("iot_storage_points_dropped_total", description: "Points given up on by reason: rejected (4xx), spool_full, shutdown.");
        meter.CreateObservableGauge("iot_storage_spool_bytes", spoolBytes, "By", "Bytes the on-disk spool holds.");
        meter.CreateObservableGauge("iot_storage_buffered_points", bufferedPoints, description: "Points accepted and not yet batched.");
    }

    public Meter Meter => meter;

    public Counter<long> PointsWritten { get; }

    public Counter<long> WriteErrors { get; }

    public Histogram<double> WriteSeconds { get; }

    public Histogram<int> BatchPoints { get; }

    public Counter<long> PointsDropped { get; }

    public void Dispose()
    {
        if (ownsMeter)
        {
            meter.Dispose();
        }
    }
}
