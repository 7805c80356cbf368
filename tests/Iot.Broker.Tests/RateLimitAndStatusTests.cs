using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

using Iot.Api.Devices;
using Iot.Broker.Metrics;
using Iot.Broker.RateLimiting;
using Iot.Broker.Status;

using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Broker.Tests;

public sealed class RateLimitAndStatusTests
{
    [Fact]
    public void Publishes_over_the_rate_wait_for_their_token_and_the_burst_refills_with_time()
    {
        var clock = new ManualTimeProvider();
        var limiter = new PublishRateLimiter(ratePerSecond: 10, burst: 3, clock);

        Assert.Equal([TimeSpan.Zero, TimeSpan.Zero, TimeSpan.Zero], [limiter.Acquire(), limiter.Acquire(), limiter.Acquire()]);
        Assert.Equal(TimeSpan.FromMilliseconds(100), limiter.Acquire());
        Assert.Equal(TimeSpan.FromMilliseconds(200), limiter.Acquire());

        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.Zero, limiter.Acquire());
    }

    [Fact]
    public async Task Connection_changes_of_one_device_coalesce_into_one_write_of_its_latest_state()
    {
        var sink = new BlockingSink();
        using var meter = new Meter(BrokerMetrics.MeterName);
        var reporter = new ConnectionStatusReporter(sink, writesPerSecond: 1000, TimeSpan.FromMinutes(1), TimeProvider.System, new BrokerMetrics(meter, () => (0, 0)), NullLogger.Instance);
        using var stop = new CancellationTokenSource();
        var running = reporter.RunAsync(stop.Token);

        reporter.Connected("blocker"); // the sink holds this first write until released
        await sink.Started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        for (var i = 0; i < 10; i++)
        {
            reporter.Connected("thermo-1");
            reporter.Disconnected("thermo-1");
        }

        reporter.Connected("thermo-1");
        sink.Release.SetResult();
        while (sink.Writes.Count < 2)
        {
            await Task.Delay(10);
        }

        await stop.CancelAsync();
        await running;
        Assert.Equal(["blocker", "thermo-1"], sink.Writes.Select(w => w.Device));
        Assert.True(sink.Writes.Last().Connection.Online);
    }

    private sealed class BlockingSink : IConnectionStatusSink
    {
        public TaskCompletionSource Started { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public ConcurrentQueue<(string Device, DeviceConnection Connection)> Writes { get; } = new();

        public async Task WriteAsync(string deviceId, DeviceConnection connection, CancellationToken cancellationToken)
        {
            Started.TrySetResult();
            await Release.Task.WaitAsync(cancellationToken);
            Writes.Enqueue((deviceId, connection));
        }
    }
}
