using System.Text.Json;

using Iot.Ingest.Telemetry;
using Iot.Ingest.Tests.Support;

namespace Iot.Ingest.Tests.Mqtt;

[Collection(IngestCollection.Name)]
public sealed class MqttIngestTests(IngestFixture fixture)
{
    private const string Thermostat = """
        metadata: {name: thermo-1, labels: {zone: north}}
        spec:
          type: thermostat
          room: lab-1
          telemetry:
            - {name: temperature, type: number, min: -40, max: 125}
            - {name: humidity, type: number, min: 0, max: 100}
            - {name: errors, type: integer}
            - {name: heating, type: boolean}
        """;

    private const string Plug = """
        metadata: {name: plug-1}
        spec: {type: plug}
        """;

    private readonly DateTimeOffset start = new(DateTime.UtcNow.Date, TimeSpan.Zero);

    [Fact]
    public async Task Telemetry_is_stored_in_the_rooms_raw_policy_tagged_with_device_room_and_type()
    {
        var ns = await fixture.CreateNamespaceAsync("lab-1");
        await fixture.CreateDeviceAsync(ns, Thermostat);
        await fixture.CreateDeviceAsync(ns, Plug);
        var time = new ManualTimeProvider(start.AddHours(1));
        await using var ingest = await IngestHost.StartAsync(fixture, ns, time);
        await using var devices = await MqttTestClient.ConnectAsync(fixture.Broker.Port);

        // The seed client's envelope with an ISO-8601 timestamp, a flat object with ts in epoch milliseconds, and one
        // without a time (stored at its receive time); a device without a room and without a schema.
        await devices.PublishTelemetryAsync("thermo-1", $$$"""{"device_id":"thermo-1","timestamp":"{{{start.AddMinutes(1):yyyy-MM-ddTHH:mm:ss.fffZ}}}","data":{"temperature":21.5,"humidity":40,"errors":2,"heating":true}}""");
        await devices.PublishTelemetryAsync("thermo-1", $$"""{"temperature":22,"ts":{{start.AddMinutes(2).ToUnixTimeMilliseconds()}}}""");
        await devices.PublishTelemetryAsync("plug-1", """{"power":1200,"state":"on","on":true}""");
        await Eventually.TrueAsync(() => ingest.Metrics.Messages(RejectionReasons.Accepted) == 3, "three messages are accepted");
        await ingest.Store.FlushAsync();

        var room = await fixture.QueryAsync(ns, """SELECT * FROM "lab-1_raw".telemetry""");
        Assert.Equal(2, room.Count);
        Assert.All(room, row => Assert.Equal(("thermo-1", "lab-1", "thermostat"), ((string?)row["device"], (string?)row["room"], (string?)row["type"])));
        Assert.Equal(start.AddMinutes(1), Time(room[0]));
        Assert.Equal((21.5, 40.0, 2L, true), ((double)room[0]["temperature"]!, Number(room[0]["humidity"]), (long)room[0]["errors"]!, (bool)room[0]["heating"]!));
        Assert.Equal(start.AddMinutes(2), Time(room[1]));

        var unassigned = await fixture.QueryAsync(ns, "SELECT * FROM default_raw.telemetry");
        var plug = Assert.Single(unassigned);
        Assert.Equal(("plug-1", null, "plug"), ((string?)plug["device"], (string?)plug["room"], (string?)plug["type"]));
        Assert.Equal(start.AddHours(1), Time(plug));
        Assert.Equal((1200.0, "on", true), (Number(plug["power"]), (string?)plug["state"], (bool)plug["on"]!));
        Assert.Equal(start.AddHours(1), ingest.LastSeen.LastSeen("plug-1"));
    }

    [Fact]
    public async Task Malformed_unknown_field_and_out_of_range_messages_are_rejected_counted_and_published_retained_per_device()
    {
        var ns = await fixture.CreateNamespaceAsync("lab-1");
        await fixture.CreateDeviceAsync(ns, Thermostat);
        await using var ingest = await IngestHost.StartAsync(fixture, ns);
        await using var device = await MqttTestClient.ConnectAsync(fixture.Broker.Port);

        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 21.5""");
        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 21.5, "pressure": 1013}""");
        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 130}""");
        await device.PublishTelemetryAsync("ghost-9", """{"temperature": 20}""");
        await device.PublishTelemetryAsync("thermo-1", """{"temperature": 20}""");

        await Eventually.TrueAsync(() => ingest.Metrics.Messages(RejectionReasons.Accepted) == 1, "the valid message after the bad ones is accepted");
        Assert.Equal(1, ingest.Metrics.Messages(RejectionReasons.MalformedJson));
        Assert.Equal(1, ingest.Metrics.Messages(RejectionReasons.UnknownField));
        Assert.Equal(1, ingest.Metrics.Messages(RejectionReasons.OutOfRange));
        Assert.Equal(1, ingest.Metrics.Messages(RejectionReasons.UnknownDevice));

        var kept = ingest.Rejections.Latest("thermo-1");
        Assert.Equal([RejectionReasons.OutOfRange, RejectionReasons.UnknownField, RejectionReasons.MalformedJson], kept.Select(r => r.Reason));
        Assert.Equal(["temperature", "pressure", null], kept.Select(r => r.Field));
        Assert.Equal("""{"temperature": 130}""", kept[0].Payload);
        Assert.Contains("above the maximum 125", kept[0].Detail, StringComparison.Ordinal);
        Assert.Empty(ingest.Rejections.Latest("ghost-9"));

        await using (var watcher = await MqttTestClient.ConnectAsync(fixture.Broker.Port, "_iot/rejections/+"))
        {
            await watcher.WaitForAsync("_iot/rejections/thermo-1", m => m.Payload.Contains("out_of_range", StringComparison.Ordinal));
        }

        // Retained: an analytics replica that subscribes later gets the device's latest list at once.
        await using var analytics = await MqttTestClient.ConnectAsync(fixture.Broker.Port, "_iot/rejections/+");
        var published = await analytics.WaitForAsync("_iot/rejections/thermo-1");
        Assert.True(published.Retain);
        using var json = JsonDocument.Parse(published.Payload);
        Assert.Equal("thermo-1", json.RootElement.GetProperty("device").GetString());
        var rejections = json.RootElement.GetProperty("rejections").EnumerateArray().ToList();
        Assert.Equal(["out_of_range", "unknown_field", "malformed_json"], rejections.Select(r => r.GetProperty("reason").GetString()));
        Assert.Equal("pressure", rejections[1].GetProperty("field").GetString());
        Assert.False(rejections[2].TryGetProperty("field", out _));
        Assert.All(rejections, r => Assert.True(r.GetProperty("at").TryGetDateTimeOffset(out _)));
        Assert.Equal("""{"temperature": 21.5""", rejections[2].GetProperty("payload").GetString());
        Assert.Contains("pressure", rejections[1].GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_oversize_message_is_rejected_as_too_large_and_kept_truncated_to_1_KiB()
    {
        var ns = await fixture.CreateNamespaceAsync("lab-1");
        await fixture.CreateDeviceAsync(ns, Thermostat);
        await using var ingest = await IngestHost.StartAsync(fixture, ns, settings: new Dictionary<string, string?> { ["Ingest:MaxMessageBytes"] = "2048" });
        await using var device = await MqttTestClient.ConnectAsync(fixture.Broker.Port);

        await device.PublishTelemetryAsync("thermo-1", $$"""{"temperature": 21, "note": "{{new string('x', 4000)}}"}""");

        await Eventually.TrueAsync(() => ingest.Metrics.Messages(RejectionReasons.TooLarge) == 1, "the message is rejected as too large");
        var rejection = Assert.Single(ingest.Rejections.Latest("thermo-1"));
        Assert.Equal(1024, rejection.Payload.Length);
        Assert.StartsWith("""{"temperature": 21, "note": "xxx""", rejection.Payload, StringComparison.Ordinal);
    }

    private static DateTimeOffset Time(Dictionary<string, object?> row) => DateTimeOffset.UnixEpoch.AddTicks((long)row["time"]! / 100);

    // InfluxDB's JSON spells a whole float without a fraction, so it reads back as an integer.
    private static double Number(object? value) => Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
}
