using System.Text;

using Iot.Analytics.Live;
using Iot.Storage.TimeSeries;

namespace Iot.Analytics.Tests.Live;

public sealed class TelemetryPayloadTests
{
    private static readonly DateTimeOffset Received = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_seed_clients_envelope_gives_its_timestamp_and_the_data_fields()
    {
        var reading = Parse("""{"device_id":"t1","timestamp":"2026-01-01T11:59:58Z","data":{"temperature":21.5,"watts":40,"door":true,"mode":"eco","nested":{"x":1}}}""");

        Assert.Equal(Received.AddSeconds(-2), reading.Timestamp);
        Assert.Equal(TelemetryValue.Number(21.5), reading.Fields["temperature"]);
        Assert.Equal(TelemetryValue.Integer(40), reading.Fields["watts"]);
        Assert.Equal(TelemetryValue.Boolean(true), reading.Fields["door"]);
        Assert.Equal(TelemetryValue.String("eco"), reading.Fields["mode"]);
        Assert.False(reading.Fields.ContainsKey("nested"));
    }

    [Fact]
    public void A_flat_object_with_ts_in_epoch_milliseconds_has_every_other_scalar_as_a_field()
    {
        var reading = Parse("""{"ts":1767268800000,"temperature":20,"humidity":45.0}""");

        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767268800000), reading.Timestamp);
        Assert.Equal(["humidity", "temperature"], reading.Fields.Keys.Order());
        Assert.Equal(TelemetryValue.Integer(20), reading.Fields["temperature"]);
        Assert.Equal(TelemetryValue.Number(45), reading.Fields["humidity"]);
    }

    [Fact]
    public void Without_a_time_the_receive_time_is_the_readings_time()
    {
        Assert.Equal(Received, Parse("""{"temperature":20}""").Timestamp);
    }

    [Theory]
    [InlineData("{not json", "malformed JSON")]
    [InlineData("[1,2]", "a JSON object, not array")]
    [InlineData("""{"ts":"yesterday","t":1}""", "'ts' must be epoch milliseconds")]
    [InlineData("""{"timestamp":"soon","t":1}""", "'timestamp' must be an ISO-8601 time")]
    [InlineData("""{"device_id":"t1","data":{}}""", "no scalar fields")]
    public void Bad_payloads_are_refused_with_the_reason(string payload, string reason)
    {
        Assert.False(TelemetryPayload.TryParse(Encoding.UTF8.GetBytes(payload), Received, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    private static TelemetryReading Parse(string payload)
    {
        Assert.True(TelemetryPayload.TryParse(Encoding.UTF8.GetBytes(payload), Received, out var reading, out var error), error);
        return reading;
    }
}
