using System.Buffers;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading.Channels;

using Iot.Storage.Spool;

using Microsoft.Extensions.Logging;

namespace Iot.Storage.Influx;

/// <summary>
/// Writes points to InfluxDB in batches, in the background: producers hand points (one, or many at once) to a buffer
/// bounded in points and return; a
/// batch per database and retention policy is sent when it reaches <see cref="InfluxWriterOptions.BatchSize"/> points
/// or at the next <see cref="InfluxWriterOptions.FlushInterval"/> tick. One request is in flight at a time, so points
/// reach InfluxDB in the order they were written.
/// </summary>
/// <remarks>
/// <para>Failures: a 5xx answer or a timeout is retried with exponential backoff and jitter up to
/// <see cref="InfluxWriterOptions.MaxAttempts"/>; a 4xx (bad line protocol, a field type conflict, a missing database)
/// drops the batch, logged and counted in <c>iot_storage_points_dropped_total{reason="rejected"}</c> (for a partial
/// write, only the points InfluxDB says it dropped).</para>
/// <para>Spool (when <see cref="InfluxWriterOptions.SpoolDirectory"/> is set): a batch goes to the on-disk spool as
/// soon as InfluxDB refuses the connection (it is down; retrying in memory would only stall producers) or once its
/// retry budget is spent. While the spool holds anything, every new batch goes behind it, and the spool is replayed
/// oldest first, one batch at a time, with backoff between failed attempts; so order is kept across an outage. A
/// crash between a replayed batch's send and its acknowledgement sends it again, which InfluxDB absorbs: a point is
/// identified by series and timestamp, and identical points overwrite each other. That is why every point gets its
/// timestamp here (the writer's clock, when the caller gave none) rather than from InfluxDB.</para>
/// <para>Without a spool, failing batches are retried until they go through and producers wait when the buffer is
/// full (back-pressure). <see cref="DisposeAsync"/> sends what is buffered, for at most
/// <see cref="InfluxWriterOptions.ShutdownTimeout"/>; what is left then is spooled or, without a spool, dropped and
/// counted (<c>reason="shutdown"</c>).</para>
/// </remarks>
public sealed partial class InfluxPointWriter : IAsyncDisposable
{
    private readonly InfluxClient client;
    private readonly InfluxWriterOptions options;
    private readonly TimeProvider time;
    private readonly ILogger logger;
    private readonly Channel<Pending> input;
    private readonly Channel<Outgoing> output;
    private readonly DiskSpool? spool;
    private readonly InfluxWriterMetrics metrics;
    private readonly ITimer ticker;
    private readonly CancellationTokenSource stopping = new();
    private readonly Lock budget = new();
    private long buffered;
    private TaskCompletionSource room = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task batching;
    private readonly Task sending;
    private ITimer? shutdownTimer;
    private int disposed;

    /// <summary>Starts the writer's background loops (and opens the spool, replaying what a previous process left in it).</summary>
    public InfluxPointWriter(InfluxClient client, InfluxWriterOptions options, TimeProvider time, ILogger<InfluxPointWriter> logger, IMeterFactory? meterFactory = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxAttempts, 1);
        this.client = client;
        this.options = options;
        this.time = time ?? throw new ArgumentNullException(nameof(time));
        this.logger = logger ?? throw new ArgumentNullException(nameof(logger));
        input = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
        output = Channel.CreateBounded<Outgoing>(new BoundedChannelOptions(2) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
        spool = options.SpoolDirectory is { } directory ? DiskSpool.Open(directory, options.SpoolMaxBytes, options.SpoolSegmentBytes) : null;
        metrics = new InfluxWriterMetrics(meterFactory, () => spool?.Bytes ?? 0, () => Interlocked.Read(ref buffered));
        if (spool is { IsEmpty: false })
        {
            LogSpoolFound(logger, spool.Points, spool.Bytes);
        }

        ticker = time.CreateTimer(_ => input.Writer.TryWrite(default), null, options.FlushInterval, options.FlushInterval);
        batching = Task.Run(BatchAsync);
        sending = Task.Run(SendAsync);
    }

    /// <summary>Bytes in the on-disk spool (0 without one): points waiting for InfluxDB to come back.</summary>
    public long SpoolBytes => spool?.Bytes ?? 0;

    /// <summary>
    /// Accepts a point for <paramref name="database"/> and <paramref name="retentionPolicy"/> (null: the database's
    /// default). Returns at once unless the buffer is full; then it waits for room. A point without a timestamp gets
    /// the writer's clock.
    /// </summary>
    /// <exception cref="ArgumentException">The point cannot be encoded (no fields, NaN or infinity, a newline in a name).</exception>
    /// <exception cref="ObjectDisposedException">The writer was disposed.</exception>
    public ValueTask WriteAsync(string database, string? retentionPolicy, InfluxPoint point, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        ArgumentNullException.ThrowIfNull(point);
        var builder = new StringBuilder(128);
        LineProtocol.Append(builder, point with { Timestamp = point.Timestamp ?? time.GetUtcNow() });
        builder.Append('\n');
        return WriteLinesAsync(database, retentionPolicy, builder, 1, cancellationToken);
    }

    /// <summary>
    /// Waits until every point accepted before this call has been sent to InfluxDB, put in the spool, or dropped for a
    /// reason that is counted.
    /// </summary>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await Enqueue(new Pending(default, null, 0, flushed), cancellationToken);
        await flushed.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Sends (or spools) what is buffered, within <see cref="InfluxWriterOptions.ShutdownTimeout"/>, and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref disposed, 1) == 1)
        {
            return;
        }

        await ticker.DisposeAsync();
        input.Writer.TryComplete();
        lock (budget)
        {
            room.TrySetResult(); // producers waiting for room give up
        }
        shutdownTimer = time.CreateTimer(_ => stopping.Cancel(), null, options.ShutdownTimeout, Timeout.InfiniteTimeSpan);
        await batching;
        await sending;
        await shutdownTimer.DisposeAsync();
        spool?.Dispose();
        metrics.Dispose();
        stopping.Dispose();
    }

    // Encoded lines, each ending in a newline, from the time-series store (which encodes without InfluxPoints): one
    // hand-over for many points, so that a producer and the batching loop do not meet once per point.
    internal ValueTask WriteLinesAsync(string database, string? retentionPolicy, StringBuilder lines, int points, CancellationToken cancellationToken) =>
        Enqueue(new Pending(new BatchKey(database, retentionPolicy), Encoding.UTF8.GetBytes(lines.ToString()), points, null), cancellationToken);

    // Points are accepted while fewer than Capacity wait to be batched (so a write may overshoot by its own size);
    // otherwise the producer waits until the batching loop has taken enough. Flush markers never wait.
    private ValueTask Enqueue(Pending pending, CancellationToken cancellationToken)
    {
        lock (budget)
        {
            if (buffered < options.Capacity || pending.Points == 0)
            {
                Accept(pending);
                return ValueTask.CompletedTask;
            }
        }

        return WaitForRoomAsync(pending, cancellationToken);
    }

    private async ValueTask WaitForRoomAsync(Pending pending, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task wait;
            lock (budget)
            {
                if (buffered < options.Capacity || Volatile.Read(ref disposed) == 1)
                {
                    Accept(pending);
                    return;
                }

                if (room.Task.IsCompleted)
                {
                    room = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                }

                wait = room.Task;
            }

            await wait.WaitAsync(cancellationToken);
        }
    }

    // Under the budget lock.
    private void Accept(Pending pending)
    {
        if (!input.Writer.TryWrite(pending))
        {
            throw new ObjectDisposedException(nameof(InfluxPointWriter));
        }

        buffered += pending.Points;
    }

    private void Release(int points)
    {
        lock (budget)
        {
            buffered -= points;
            room.TrySetResult();
        }
    }

    private async Task BatchAsync()
    {
        var open = new Dictionary<BatchKey, Batch>();
        try
        {
            while (await input.Reader.WaitToReadAsync())
            {
                while (input.Reader.TryRead(out var item))
                {
                    if (item.Lines is { } lines)
                    {
                        Release(item.Points);
                        if (!open.TryGetValue(item.Key, out var batch))
                        {
                            open[item.Key] = batch = new Batch();
                        }

                        batch.Lines.Write(lines);
                        batch.Points += item.Points;
                        if (batch.Points >= options.BatchSize)
                        {
                            await EmitAsync(item.Key);
                        }

                        continue;
                    }

                    foreach (var key in open.Keys.ToList())
                    {
                        await EmitAsync(key);
                    }

                    if (item.Flushed is { } flushed)
                    {
                        await output.Writer.WriteAsync(new Outgoing(default, default, 0, flushed));
                    }
                }
            }

            foreach (var key in open.Keys.ToList())
            {
                await EmitAsync(key);
            }
        }
        finally
        {
            output.Writer.TryComplete();
        }

        async Task EmitAsync(BatchKey key)
        {
            open.Remove(key, out var batch);
            await output.Writer.WriteAsync(new Outgoing(key, batch!.Lines.WrittenMemory, batch.Points, null));
        }
    }

    // A failure the loop cannot handle (the spool's disk failing) stops the writer loudly rather than stalling producers.
    private async Task SendAsync()
    {
        try
        {
            await SendLoopAsync();
        }
        catch (Exception e)
        {
            LogStopped(logger, e);
            output.Writer.TryComplete(e);
            input.Writer.TryComplete(e);
            throw;
        }
    }

    private async Task SendLoopAsync()
    {
        DateTimeOffset? retryAt = null;
        var replayAttempt = 0;
        while (true)
        {
            if (spool is { IsEmpty: false })
            {
                // Batches that arrive while the spool holds data go behind it, so that order is kept.
                while (output.Reader.TryRead(out var item))
                {
                    if (item.Flushed is { } flushed)
                    {
                        flushed.TrySetResult();
                    }
                    else
                    {
                        Spool(item.Key, item.Lines, item.Points);
                    }
                }

                var closing = output.Reader.Completion.IsCompleted;
                if (closing && stopping.IsCancellationRequested)
                {
                    return;
                }

                var now = time.GetUtcNow();
                if (retryAt is { } at && now < at)
                {
                    if (closing)
                    {
                        return;
                    }

                    await WaitForRetryOrInputAsync(at - now);
                    continue;
                }

                var head = spool.Peek()!;
                var result = await SendOnceAsync(head.Database, head.RetentionPolicy, head.Lines, head.Points);
                if (result is SendResult.Failed or SendResult.Unreachable)
                {
                    retryAt = time.GetUtcNow() + Backoff(replayAttempt++);
                    continue;
                }

                spool.Ack();
                retryAt = null;
                replayAttempt = 0;
                if (spool.IsEmpty)
                {
                    LogSpoolReplayed(logger);
                }

                continue;
            }

            if (!await output.Reader.WaitToReadAsync())
            {
                return;
            }

            if (output.Reader.TryRead(out var next))
            {
                if (next.Flushed is { } flushed)
                {
                    flushed.TrySetResult();
                }
                else
                {
                    await SendWithRetriesAsync(next);
                }
            }
        }
    }

    private async Task WaitForRetryOrInputAsync(TimeSpan delay)
    {
        using var wake = CancellationTokenSource.CreateLinkedTokenSource(stopping.Token);
        var waited = Task.Delay(delay, time, wake.Token);
        var arrived = output.Reader.WaitToReadAsync(wake.Token).AsTask();
        await Task.WhenAny(waited, arrived);
        await wake.CancelAsync();
    }

    private async Task SendWithRetriesAsync(Outgoing batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            var result = await SendOnceAsync(batch.Key.Database, batch.Key.RetentionPolicy, batch.Lines, batch.Points);
            if (result is SendResult.Sent or SendResult.Rejected)
            {
                return;
            }

            if (spool is not null && (result == SendResult.Unreachable || attempt + 1 >= options.MaxAttempts || stopping.IsCancellationRequested))
            {
                Spool(batch.Key, batch.Lines, batch.Points);
                return;
            }

            if (stopping.IsCancellationRequested)
            {
                Drop(batch.Points, "shutdown", "the writer was disposed while InfluxDB could not take them");
                return;
            }

            try
            {
                await Task.Delay(Backoff(attempt), time, stopping.Token);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    private async Task<SendResult> SendOnceAsync(string database, string? retentionPolicy, ReadOnlyMemory<byte> lines, int points)
    {
        var started = time.GetTimestamp();
        try
        {
            await client.WriteAsync(database, retentionPolicy, lines, InfluxPrecision.Nanoseconds, stopping.Token);
            metrics.WriteSeconds.Record(time.GetElapsedTime(started).TotalSeconds);
            metrics.BatchPoints.Record(points);
            metrics.PointsWritten.Add(points);
            return SendResult.Sent;
        }
        catch (InfluxException e) when (e.IsClientError)
        {
            var dropped = PartialWriteDropped(e.Message) ?? points;
            metrics.WriteErrors.Add(1, new KeyValuePair<string, object?>("reason", "rejected"));
            metrics.PointsWritten.Add(points - dropped);
            Drop(dropped, "rejected", e.Message);
            return SendResult.Rejected;
        }
        catch (InfluxException e)
        {
            return Failed("server_error", e);
        }
        catch (TimeoutException e)
        {
            return Failed("timeout", e);
        }
        catch (OperationCanceledException e) when (stopping.IsCancellationRequested)
        {
            return Failed("timeout", e);
        }
        catch (HttpRequestException e)
        {
            Failed("connection", e);
            return SendResult.Unreachable;
        }

        SendResult Failed(string reason, Exception e)
        {
            metrics.WriteErrors.Add(1, new KeyValuePair<string, object?>("reason", reason));
            LogWriteFailed(logger, database, retentionPolicy, points, reason, e.Message);
            return SendResult.Failed;
        }
    }

    private void Spool(BatchKey key, ReadOnlyMemory<byte> lines, int points)
    {
        var wasEmpty = spool!.IsEmpty;
        try
        {
            var dropped = spool.Append(new SpooledBatch(key.Database, key.RetentionPolicy, InfluxPrecision.Nanoseconds, points, lines));
            if (dropped > 0)
            {
                Drop(dropped, "spool_full", "the spool reached its bound; its oldest points were dropped");
            }

            if (wasEmpty)
            {
                LogSpooling(logger, key.Database, options.SpoolDirectory!);
            }
        }
        catch (IOException e)
        {
            Drop(points, "spool_error", e.Message);
        }
    }

    private void Drop(long points, string reason, string detail)
    {
        metrics.PointsDropped.Add(points, new KeyValuePair<string, object?>("reason", reason));
        LogDropped(logger, points, reason, detail);
    }

    private TimeSpan Backoff(int attempt)
    {
        var exponential = options.RetryBaseDelay.Ticks * Math.Pow(2, Math.Min(attempt, 30));
        var capped = Math.Min(exponential, options.RetryMaxDelay.Ticks);
        return TimeSpan.FromTicks((long)(capped * (0.5 + (Random.Shared.NextDouble() * 0.5))));
    }

    // InfluxDB 1.x ends a partial write's error with "dropped=N": the other points of the request were written.
    private static long? PartialWriteDropped(string message) =>
        DroppedPattern().Match(message) is { Success: true } match ? long.Parse(match.Groups[1].ValueSpan, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"dropped=(\d+)")]
    private static partial Regex DroppedPattern();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing {Points} points to {Database}.{RetentionPolicy} failed ({Reason}): {Error}")]
    private static partial void LogWriteFailed(ILogger logger, string database, string? retentionPolicy, int points, string reason, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dropped {Points} points ({Reason}): {Detail}")]
    private static partial void LogDropped(ILogger logger, long points, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB cannot take writes for {Database}; spooling batches to {Directory} until it can")]
    private static partial void LogSpooling(ILogger logger, string database, string directory);

    [LoggerMessage(Level = LogLevel.Information, Message = "The spool is replayed; writing to InfluxDB directly again")]
    private static partial void LogSpoolReplayed(ILogger logger);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The InfluxDB writer stopped; points can no longer be written")]
    private static partial void LogStopped(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Found {Points} spooled points ({Bytes} bytes) from before; replaying them first")]
    private static partial void LogSpoolFound(ILogger logger, long points, long bytes);

    private enum SendResult
    {
        Sent,
        Rejected,
        Failed,
        Unreachable,
    }

    private readonly record struct BatchKey(string Database, string? RetentionPolicy);

    private sealed class Batch
    {
        public ArrayBufferWriter<byte> Lines { get; } = new(4096);

        public int Points { get; set; }
    }

    // Lines for a batch (Points of them), a flush marker (Flushed set), or a tick (neither).
    private readonly record struct Pending(BatchKey Key, byte[]? Lines, int Points, TaskCompletionSource? Flushed);

    // A batch to send, or a flush marker (Flushed set) that completes once everything before it is sent or spooled.
    private sealed record Outgoing(BatchKey Key, ReadOnlyMemory<byte> Lines, int Points, TaskCompletionSource? Flushed);
}
