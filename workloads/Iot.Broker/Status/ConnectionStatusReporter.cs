using System.Collections.Concurrent;
using System.Threading.Channels;

using Iot.Api.Devices;
using Iot.Broker.Metrics;

using Microsoft.Extensions.Logging;

namespace Iot.Broker.Status;

/// <summary>
/// Reports devices' connection state (online, since, lastSeen), coalesced and rate-limited: a device queues at most one
/// pending write, which always carries its latest state, and writes leave at most <paramref name="writesPerSecond"/> a
/// second, so a reconnect storm of 10,000 devices becomes a steady trickle instead of a flood on the API server.
/// lastSeen alone is refreshed at most every <paramref name="lastSeenInterval"/> per device.
/// </summary>
public sealed partial class ConnectionStatusReporter(
    IConnectionStatusSink sink, double writesPerSecond, TimeSpan lastSeenInterval, TimeProvider time, BrokerMetrics metrics, ILogger logger)
{
    private readonly ConcurrentDictionary<string, DeviceState> states = new(StringComparer.Ordinal);
    private readonly Channel<string> dirty = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TimeSpan spacing = TimeSpan.FromSeconds(1 / writesPerSecond);

    /// <summary>The device connected.</summary>
    public void Connected(string deviceId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Change(deviceId, s => { s.Online = true; s.Since = now; s.LastSeen = now; });
    }

    /// <summary>The device disconnected.</summary>
    public void Disconnected(string deviceId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        Change(deviceId, s => { s.Online = false; s.Since = now; s.LastSeen = now; });
    }

    /// <summary>The device sent something; written only when its last written lastSeen is older than the interval.</summary>
    public void Seen(string deviceId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (states.TryGetValue(deviceId, out var state) && now - state.WrittenLastSeen < lastSeenInterval)
        {
            state.LastSeen = now;
            return;
        }

        Change(deviceId, s => s.LastSeen = now);
    }

    /// <summary>Writes queued states until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var deviceId in dirty.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                if (!states.TryGetValue(deviceId, out var state))
                {
                    continue;
                }

                DeviceConnection connection;
                lock (state)
                {
                    state.Queued = false;
                    connection = new DeviceConnection { Online = state.Online, Since = state.Since, LastSeen = state.LastSeen };
                    state.WrittenLastSeen = state.LastSeen;
                }

                try
                {
                    await sink.WriteAsync(deviceId, connection, cancellationToken).ConfigureAwait(false);
                    metrics.StatusWrite("ok");
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    metrics.StatusWrite("error");
                    LogWriteFailed(logger, deviceId, e);
                }

                await Task.Delay(spacing, time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private void Change(string deviceId, Action<DeviceState> change)
    {
        var state = states.GetOrAdd(deviceId, _ => new DeviceState());
        bool enqueue;
        lock (state)
        {
            change(state);
            enqueue = !state.Queued;
            state.Queued = true;
        }

        if (enqueue)
        {
            dirty.Writer.TryWrite(deviceId);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writing the connection status of device {DeviceId} failed")]
    private static partial void LogWriteFailed(ILogger logger, string deviceId, Exception exception);

    private sealed class DeviceState
    {
        public bool Online { get; set; }

        public DateTime Since { get; set; }

        public DateTime LastSeen { get; set; }

        public DateTime WrittenLastSeen { get; set; }

        public bool Queued { get; set; }
    }
}
