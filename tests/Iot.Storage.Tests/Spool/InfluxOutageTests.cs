using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Storage.Tests.Spool;

/// <summary>InfluxDB stopped and started again under a writer with a spool; this class has an influxd of its own.</summary>
public sealed class InfluxOutageTests : IAsyncLifetime
{
    private readonly TempDirectory spoolDirectory = new();
    private readonly MetricsRecorder metrics = new();
    private readonly DateTimeOffset start = new(DateTime.UtcNow.Date, TimeSpan.Zero);
    private InfluxDbServer server = null!;
    private InfluxClient client = null!;

    public async Task InitializeAsync()
    {
        server = await InfluxDbServer.StartAsync();
        client = new InfluxClient(new InfluxOptions { Url = server.Url, Timeout = TimeSpan.FromSeconds(2) });
        await client.CreateDatabaseAsync("plant");
    }

    [Fact]
    public async Task Points_written_while_influxd_is_down_are_spooled_and_arrive_exactly_once_when_it_is_back()
    {
        await using var writer = NewWriter();
        await WriteAsync(writer, 0, 500);
        await writer.FlushAsync();
        Assert.Equal(500, await InfluxAssert.CountAsync(client, "plant", "m"));

        await server.StopAsync();
        await WriteAsync(writer, 500, 1500);
        await writer.FlushAsync();
        Assert.True(writer.SpoolBytes > 0, "nothing was spooled while influxd was down");
        Assert.Equal(writer.SpoolBytes, metrics.Gauge("iot_storage_spool_bytes"));

        await server.StartAgainAsync();
        await WriteAsync(writer, 2000, 500);

        await InfluxAssert.EventuallyCountAsync(client, "plant", "m", 2500);
        await writer.FlushAsync();
        Assert.Equal(2500, await InfluxAssert.CountAsync(client, "plant", "m"));
        Assert.Equal(0, metrics.Sum("iot_storage_points_dropped_total"));
        Assert.Equal(0, writer.SpoolBytes);
    }

    [Fact]
    public async Task A_spool_left_by_a_stopped_process_is_replayed_and_replaying_it_twice_duplicates_nothing()
    {
        await server.StopAsync();
        await using (var writer = NewWriter())
        {
            await WriteAsync(writer, 0, 1000);
        }

        var snapshot = Path.Combine(spoolDirectory.Path, "snapshot");
        CopyDirectory(Path.Combine(spoolDirectory.Path, "spool"), snapshot);
        await server.StartAgainAsync();

        await using (var writer = NewWriter())
        {
            await InfluxAssert.EventuallyCountAsync(client, "plant", "m", 1000);
        }

        // As if the process had crashed after sending every batch and before acknowledging any.
        await using (var writer = NewWriter(snapshot))
        {
            await WriteAsync(writer, 1000, 1);
            await InfluxAssert.EventuallyCountAsync(client, "plant", "m", 1001);
            await writer.FlushAsync();
            Assert.Equal(0, writer.SpoolBytes);
        }

        Assert.Equal(1001, await InfluxAssert.CountAsync(client, "plant", "m"));
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await server.DisposeAsync();
        metrics.Dispose();
        spoolDirectory.Dispose();
    }

    private InfluxPointWriter NewWriter(string? spool = null) => new(
        client,
        new InfluxWriterOptions
        {
            BatchSize = 100,
            FlushInterval = TimeSpan.FromMilliseconds(50),
            RetryMaxDelay = TimeSpan.FromMilliseconds(200),
            SpoolDirectory = spool ?? Path.Combine(spoolDirectory.Path, "spool"),
            SpoolSegmentBytes = 16 * 1024,
        },
        TimeProvider.System,
        NullLogger<InfluxPointWriter>.Instance,
        metrics.Factory);

    private async Task WriteAsync(InfluxPointWriter writer, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            var point = new InfluxPoint("m", new Dictionary<string, string?> { ["device"] = $"d{i % 10}" }, new Dictionary<string, TelemetryValue> { ["v"] = (long)i }, start.AddMilliseconds(i));
            await writer.WriteAsync("plant", null, point);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.GetFiles(from))
        {
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        }
    }
}
