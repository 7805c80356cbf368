namespace Iot.Storage.Influx;

/// <summary>How <see cref="InfluxPointWriter"/> batches, retries and spools.</summary>
public sealed record InfluxWriterOptions
{
    /// <summary>A batch is sent when it has this many points.</summary>
    public int BatchSize { get; init; } = 5_000;

    /// <summary>Every interval, batches that have not filled up are sent anyway (the most a point waits in memory).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Points accepted and not yet batched; when full, <see cref="InfluxPointWriter.WriteAsync"/> waits (back-pressure).
    /// Memory is bounded by this plus a few batches per database and retention policy.
    /// </summary>
    public int Capacity { get; init; } = 50_000;

    /// <summary>Attempts per batch on 5xx answers and timeouts before the batch is spooled (without a spool: retried until it goes through).</summary>
    public int MaxAttempts { get; init; } = 5;

    /// <summary>The first retry's delay; each next one doubles, up to <see cref="RetryMaxDelay"/>, with random jitter.</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest delay between two attempts (also between replay attempts while InfluxDB is unreachable).</summary>
    public TimeSpan RetryMaxDelay { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The directory of the on-disk spool that keeps batches while InfluxDB is unreachable; none when null (batches are
    /// then retried in memory, and producers wait when the buffer is full).
    /// </summary>
    public string? SpoolDirectory { get; init; }

    /// <summary>The most disk space the spool takes; past it the oldest spooled points are dropped and counted.</summary>
    public long SpoolMaxBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>The size at which the spool starts a new segment file (the unit in which old data is dropped).</summary>
    public long SpoolSegmentBytes { get; init; } = 16L * 1024 * 1024;

    /// <summary>On dispose, how long to keep trying to send what is buffered before it is spooled or, without a spool, dropped.</summary>
    public TimeSpan ShutdownTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
