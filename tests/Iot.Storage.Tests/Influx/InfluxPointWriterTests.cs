using System.Net;

using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Storage.Tests.Influx;

[Collection(InfluxCollection.Name)]
public sealed class InfluxPointWriterTests(InfluxFixture influx) : IDisposable
{
    // Recent, so that points fall inside short retention policies.
    private static readonly DateTimeOffset Start = new(DateTime.UtcNow.Date, TimeSpan.Zero);
    private readonly ManualTimeProvider clock = new(Start);
    private readonly MetricsRecorder metrics = new();

    [Fact]
    public async Task A_batch_is_sent_as_soon_as_it_is_full()
    {
        var database = await influx.CreateDatabaseAsync();
        await using var writer = NewWriter(influx.Client, new InfluxWriterOptions { BatchSize = 10, FlushInterval = TimeSpan.FromHours(1) });

        await WritePointsAsync(writer, database, 0, 20);

        await InfluxAssert.EventuallyCountAsync(influx.Client, database, "m", 20);
        await writer.FlushAsync();
        Assert.Equal(20, metrics.Sum("iot_storage_points_written_total"));
        Assert.Equal(20, metrics.Sum("iot_storage_batch_points"));
    }

    [Fact]
    public async Task A_batch_that_does_not_fill_is_sent_at_the_next_flush_interval()
    {
        var database = await influx.CreateDatabaseAsync();
        await using var writer = NewWriter(influx.Client, new InfluxWriterOptions { BatchSize = 1000, FlushInterval = TimeSpan.FromSeconds(1) });
        await WritePointsAsync(writer, database, 0, 3);

        clock.Advance(TimeSpan.FromSeconds(1));

        await InfluxAssert.EventuallyCountAsync(influx.Client, database, "m", 3);
    }

    [Fact]
    public async Task Points_go_to_the_database_and_retention_policy_they_were_written_for()
    {
        var first = await influx.CreateDatabaseAsync();
        var second = await influx.CreateDatabaseAsync();
        await influx.Client.CreateRetentionPolicyAsync(second, new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(7), TimeSpan.Zero));
        await using var writer = NewWriter(influx.Client, new InfluxWriterOptions { BatchSize = 1000 });

        await WritePointsAsync(writer, first, 0, 4);
        await WritePointsAsync(writer, second, 0, 6, "lab-1_raw");
        await writer.FlushAsync();

        Assert.Equal(4, await InfluxAssert.CountAsync(influx.Client, first, "m"));
        Assert.Equal(6, await InfluxAssert.CountAsync(influx.Client, second, "\"lab-1_raw\".m"));
    }

    [Fact]
    public async Task A_point_without_timestamp_gets_the_writers_clock()
    {
        var database = await influx.CreateDatabaseAsync();
        await using var writer = NewWriter(influx.Client, new InfluxWriterOptions());

        await writer.WriteAsync(database, null, new InfluxPoint("m", new Dictionary<string, string?>(), new Dictionary<string, TelemetryValue> { ["v"] = 1.0 }));
        await writer.FlushAsync();

        var row = Assert.Single(Assert.Single(await influx.Client.QueryAsync(database, "SELECT v FROM m")).Values);
        Assert.Equal(LineProtocol.ToEpoch(Start, InfluxPrecision.Nanoseconds), row[0]);
    }

    [Fact]
    public async Task A_point_that_cannot_be_encoded_is_refused_to_the_producer()
    {
        await using var writer = NewWriter(influx.Client, new InfluxWriterOptions());
        var point = new InfluxPoint("m", new Dictionary<string, string?>(), new Dictionary<string, TelemetryValue> { ["v"] = double.NaN });

        await Assert.ThrowsAsync<ArgumentException>(async () => await writer.WriteAsync("db", null, point));
    }

    [Fact]
    public async Task A_rejected_write_drops_only_what_influxd_dropped_and_counts_it_by_reason()
    {
        var database = await influx.CreateDatabaseAsync();
        await influx.Client.WriteAsync(database, null, [Point(0, 1.0)]);
        await using var writer = NewWriter(influx.Client, new InfluxWriterOptions { BatchSize = 1000 });

        await writer.WriteAsync(database, null, Point(1, 2.0));
        await writer.WriteAsync(database, null, Point(2, "a string where a float belongs"));
        await writer.WriteAsync(database, null, Point(3, 4.0));
        await writer.FlushAsync();

        Assert.Equal(3, await InfluxAssert.CountAsync(influx.Client, database, "m"));
        Assert.Equal(1, metrics.Sum("iot_storage_points_dropped_total", "rejected"));
        Assert.Equal(1, metrics.Sum("iot_storage_write_errors_total", "rejected"));
        Assert.Equal(2, metrics.Sum("iot_storage_points_written_total"));
    }

    [Fact]
    public async Task A_batch_for_a_missing_database_is_dropped_and_counted_without_retries()
    {
        await using var writer = NewWriter(influx.Client, new InfluxWriterOptions());

        await WritePointsAsync(writer, "no-such-database", 0, 5);
        await writer.FlushAsync();

        Assert.Equal(5, metrics.Sum("iot_storage_points_dropped_total", "rejected"));
        Assert.Equal(1, metrics.Sum("iot_storage_write_errors_total"));
    }

    [Fact]
    public async Task Server_errors_are_retried_until_the_batch_goes_through_once()
    {
        var database = await influx.CreateDatabaseAsync();
        using var failing = new InfluxClient(new HttpClient(new FailingWrites(2, new HttpClientHandler())), new InfluxOptions { Url = influx.Server.Url });
        await using var writer = NewWriter(failing, new InfluxWriterOptions { BatchSize = 10, RetryBaseDelay = TimeSpan.FromMilliseconds(5) }, TimeProvider.System);

        await WritePointsAsync(writer, database, 0, 10);
        await writer.FlushAsync();

        Assert.Equal(10, await InfluxAssert.CountAsync(influx.Client, database, "m"));
        Assert.Equal(2, metrics.Sum("iot_storage_write_errors_total", "server_error"));
        Assert.Equal(0, metrics.Sum("iot_storage_points_dropped_total"));
    }

    [Fact]
    public async Task A_batch_whose_retries_are_spent_is_spooled_and_replayed_once()
    {
        var database = await influx.CreateDatabaseAsync();
        using var spool = new TempDirectory();
        using var failing = new InfluxClient(new HttpClient(new FailingWrites(3, new HttpClientHandler())), new InfluxOptions { Url = influx.Server.Url });
        var options = new InfluxWriterOptions { BatchSize = 10, MaxAttempts = 2, RetryBaseDelay = TimeSpan.FromMilliseconds(5), RetryMaxDelay = TimeSpan.FromMilliseconds(20), SpoolDirectory = spool.Path };
        await using var writer = NewWriter(failing, options, TimeProvider.System);

        await WritePointsAsync(writer, database, 0, 10);

        await InfluxAssert.EventuallyCountAsync(influx.Client, database, "m", 10);
        await writer.FlushAsync();

        // Two attempts spend the budget; the third failure and the success that follows are the spool's replay.
        Assert.Equal(3, metrics.Sum("iot_storage_write_errors_total", "server_error"));
        Assert.Equal(10, metrics.Sum("iot_storage_points_written_total"));
        Assert.Equal(0, writer.SpoolBytes);
    }

    [Fact]
    public async Task Dispose_sends_what_is_still_buffered()
    {
        var database = await influx.CreateDatabaseAsync();
        var writer = NewWriter(influx.Client, new InfluxWriterOptions { BatchSize = 1000, FlushInterval = TimeSpan.FromHours(1) });
        await WritePointsAsync(writer, database, 0, 7);

        await writer.DisposeAsync();

        Assert.Equal(7, await InfluxAssert.CountAsync(influx.Client, database, "m"));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await writer.WriteAsync(database, null, Point(100, 1.0)));
    }

    [Fact]
    public async Task Producers_wait_when_the_buffer_is_full_and_nothing_is_lost_silently()
    {
        using var unreachable = new InfluxClient(new InfluxOptions { Url = new Uri($"http://127.0.0.1:{FreePort.Next()}") });
        var writer = NewWriter(unreachable, new InfluxWriterOptions { BatchSize = 10, Capacity = 10, ShutdownTimeout = TimeSpan.FromSeconds(5) });
        var accepted = 0;
        ValueTask blocked = default;
        for (; accepted < 1000; accepted++)
        {
            blocked = writer.WriteAsync("db", null, Point(accepted, 1.0));
            if (!blocked.IsCompleted)
            {
                break;
            }
        }

        Assert.True(accepted < 100, $"the writer accepted {accepted} points without InfluxDB; its buffer is not bounded");
        var disposing = writer.DisposeAsync();
        clock.Advance(TimeSpan.FromSeconds(5));
        await disposing;

        // The waiting producer is either refused by the dispose or, when the writer's loop had only fallen behind for a
        // moment, got its room before it: then its point is one more to account for.
        if (await IsAcceptedAsync(blocked))
        {
            accepted++;
        }

        Assert.Equal(accepted, metrics.Sum("iot_storage_points_dropped_total", "shutdown"));
    }

    public void Dispose() => metrics.Dispose();

    private InfluxPointWriter NewWriter(InfluxClient client, InfluxWriterOptions options, TimeProvider? time = null) =>
        new(client, options, time ?? clock, NullLogger<InfluxPointWriter>.Instance, metrics.Factory);

    private static async Task WritePointsAsync(InfluxPointWriter writer, string database, int from, int count, string? policy = null)
    {
        for (var i = from; i < from + count; i++)
        {
            await writer.WriteAsync(database, policy, Point(i, i));
        }
    }

    private static async Task<bool> IsAcceptedAsync(ValueTask write)
    {
        try
        {
            await write;
            return true;
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    private static InfluxPoint Point(int second, TelemetryValue value) =>
        new("m", new Dictionary<string, string?> { ["device"] = "d1" }, new Dictionary<string, TelemetryValue> { ["v"] = value }, Start.AddSeconds(second));

    // InfluxDB answering 503 to the first writes, as when it is overloaded; everything after goes through.
    private sealed class FailingWrites(int failures, HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private int remaining = failures;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            request.RequestUri!.AbsolutePath == "/write" && Interlocked.Decrement(ref remaining) >= 0
                ? Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable) { Content = new StringContent("{\"error\":\"overloaded\"}") })
                : base.SendAsync(request, cancellationToken);
    }
}
