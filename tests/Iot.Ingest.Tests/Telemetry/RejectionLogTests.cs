using System.Text;
using System.Text.Json;

using Iot.Ingest.Rejections;
using Iot.Ingest.Telemetry;

namespace Iot.Ingest.Tests.Telemetry;

public sealed class RejectionLogTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_latest_20_rejections_of_a_device_are_kept_newest_first()
    {
        var log = new RejectionLog();
        for (var i = 0; i < 25; i++)
        {
            log.Add("thermo-1", At.AddSeconds(i), [new TelemetryError(RejectionReasons.OutOfRange, "temperature", $"#{i}")], "{}"u8);
        }

        var kept = log.Latest("thermo-1");
        Assert.Equal(RejectionLog.PerDevice, kept.Count);
        Assert.Equal(Enumerable.Range(5, 20).Reverse().Select(i => $"#{i}"), kept.Select(r => r.Detail));
        Assert.Empty(log.Latest("thermo-2"));
    }

    [Fact]
    public void A_rejection_has_the_first_errors_reason_and_field_and_every_errors_detail()
    {
        var log = new RejectionLog();
        var rejection = log.Add("thermo-1", At, [new TelemetryError(RejectionReasons.UnknownField, "pressure", "pressure is unknown"), new TelemetryError(RejectionReasons.OutOfRange, "temperature", "temperature is too high")], "{}"u8);

        Assert.Equal((RejectionReasons.UnknownField, "pressure", "pressure is unknown; temperature is too high"), (rejection.Reason, rejection.Field, rejection.Detail));
    }

    [Fact]
    public void A_long_payload_is_kept_as_its_first_KiB_without_splitting_a_character()
    {
        var log = new RejectionLog();
        var payload = Encoding.UTF8.GetBytes(new string('x', 1023) + "é and more");

        var kept = log.Add("thermo-1", At, [new TelemetryError(RejectionReasons.TooLarge, null, "too large")], payload).Payload;

        Assert.Equal(new string('x', 1023), kept);
    }

    [Fact]
    public void The_published_message_is_the_devices_list_and_a_forgotten_device_publishes_an_empty_one()
    {
        var log = new RejectionLog();
        log.Add("thermo-1", At, [new TelemetryError(RejectionReasons.MalformedJson, null, "not JSON")], "{oops"u8);
        log.Add("thermo-1", At.AddSeconds(1), [new TelemetryError(RejectionReasons.OutOfRange, "temperature", "too hot")], """{"temperature":500}"""u8);
        Assert.Equal(["thermo-1"], log.TakeChanged());

        using var json = JsonDocument.Parse(log.ToMessage("thermo-1"));
        Assert.Equal("thermo-1", json.RootElement.GetProperty("device").GetString());
        var newest = json.RootElement.GetProperty("rejections")[0];
        Assert.Equal(
            ["at", "reason", "field", "detail", "payload"],
            newest.EnumerateObject().Select(p => p.Name));
        Assert.Equal((At.AddSeconds(1), "out_of_range", "temperature", "too hot", """{"temperature":500}"""),
            (newest.GetProperty("at").GetDateTimeOffset(), newest.GetProperty("reason").GetString(), newest.GetProperty("field").GetString(), newest.GetProperty("detail").GetString(), newest.GetProperty("payload").GetString()));
        Assert.False(json.RootElement.GetProperty("rejections")[1].TryGetProperty("field", out _));

        log.Forget("thermo-1");
        Assert.Equal(["thermo-1"], log.TakeChanged());
        Assert.Empty(log.ToMessage("thermo-1"));
    }
}
