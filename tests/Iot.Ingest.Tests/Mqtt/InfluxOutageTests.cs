using System.Globalization;

using Iot.Ingest.Telemetry;
using Iot.Ingest.Tests.Support;
using Iot.Storage.Influx;

namespace Iot.Ingest.Tests.Mqtt;

[Collection(IngestCollection.Name)]
public sealed class InfluxOutageTests(IngestFixture fixture)
{
    private readonly DateTimeOffset start = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    [Fact]
    public async Task Telemetry_taken_while_InfluxDB_is_down_is_spooled_and_every_point_arrives_exactly_once()
    {
        var ns = await fixture.CreateNamespaceAsync();
        await fixture.CreateDeviceAsync(ns, """
            metadata: {name: meter-1}
            spec:
              type: power-meter
              telemetry: [{name: seq, type: integer}]
            """);
        using var spool = new TempDirectory();
        await using var ingest = await IngestHost.StartAsync(fixture, ns, settings: new Dictionary<string, string?>
        {
            ["TimeSeries:Influx:Timeout"] = "00:00:02",
            ["TimeSeries:Writer:SpoolDirectory"] = spool.Path,
            ["TimeSeries:Writer:BatchSize"] = "50",
            ["TimeSeries:Writer:FlushInterval"] = "00:00:00.050",
            ["TimeSeries:Writer:RetryMaxDelay"] = "00:00:00.200",
        });
        await using var device = await MqttTestClient.ConnectAsync(fixture.Broker.Port);

        await PublishAsync(device, 0, 200);
        await Eventually.TrueAsync(async () => await CountAsync(ns) == 200, "the first 200 points are in InfluxDB");

        try
        {
            await fixture.Influx.StopAsync();
            await PublishAsync(device, 200, 300);
            await Eventually.TrueAsync(() => ingest.Metrics.Messages(RejectionReasons.Accepted) == 500, "ingest took every message while InfluxDB was down");
            await ingest.Store.FlushAsync();
            Assert.True(ingest.Get<InfluxPointWriter>().SpoolBytes > 0, "nothing was spooled while InfluxDB was down");
        }
        finally
        {
            await fixture.Influx.StartAgainAsync();
        }

        await Eventually.TrueAsync(async () => await CountAsync(ns) == 500, "the spooled points arrive once InfluxDB is back");
        await ingest.Store.FlushAsync();
        var totals = Assert.Single(await fixture.QueryAsync(ns, "SELECT count(seq), sum(seq) FROM default_raw.telemetry"));
        Assert.Equal((500L, 499L * 500 / 2), ((long)totals["count"]!, (long)totals["sum"]!));
        Assert.Equal(0, ingest.Get<InfluxPointWriter>().SpoolBytes);
    }

    private async Task PublishAsync(MqttTestClient device, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            await device.PublishTelemetryAsync("meter-1", $$"""{"seq":{{i.ToString(CultureInfo.InvariantCulture)}},"ts":{{start.AddMilliseconds(i).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}}}""");
        }
    }

    private async Task<long> CountAsync(string ns) =>
        await fixture.QueryAsync(ns, "SELECT count(seq) FROM default_raw.telemetry") is [var row] ? (long)row["count"]! : 0;
}
