using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

namespace Iot.Storage.Tests.Influx;

public sealed class LineProtocolTests
{
    private static readonly DateTimeOffset Time = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_123).AddTicks(4);

    [Fact]
    public void Point_is_measurement_sorted_tags_fields_and_nanosecond_timestamp()
    {
        var point = new InfluxPoint("telemetry", new Dictionary<string, string?> { ["type"] = "thermo", ["device"] = "d1", ["room"] = null },
            new Dictionary<string, TelemetryValue> { ["temperature"] = 21.5, ["count"] = 3L, ["on"] = true, ["note"] = "ok" }, Time);

        Assert.Equal("telemetry,device=d1,type=thermo temperature=21.5,count=3i,on=true,note=\"ok\" 1700000000123000400", LineProtocol.Encode(point));
    }

    [Fact]
    public void Each_position_escapes_what_line_protocol_needs()
    {
        var point = new InfluxPoint("m ea,s=ure", new Dictionary<string, string?> { ["t k,=y"] = "v a,l=ue" },
            new Dictionary<string, TelemetryValue> { ["f i,=eld"] = "say \"hi\" \\o/" }, Time);

        Assert.Equal(@"m\ ea\,s=ure,t\ k\,\=y=v\ a\,l\=ue f\ i\,\=eld=""say \""hi\"" \\o/"" 1700000000123000400", LineProtocol.Encode(point));
    }

    [Theory]
    [InlineData(0.1, "0.1")]
    [InlineData(1e21, "1E+21")]
    [InlineData(-2.5e-8, "-2.5E-08")]
    [InlineData(20.0, "20")]
    public void Floats_are_written_in_their_shortest_round_trip_form(double value, string expected)
    {
        var line = LineProtocol.Encode(new InfluxPoint("m", new Dictionary<string, string?>(), new Dictionary<string, TelemetryValue> { ["v"] = value }));

        Assert.Equal($"m v={expected}", line);
        Assert.Equal(value, double.Parse(expected, System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    [InlineData(double.NegativeInfinity)]
    public void NaN_and_infinity_are_refused_with_the_field_name(double value)
    {
        var point = new InfluxPoint("m", new Dictionary<string, string?>(), new Dictionary<string, TelemetryValue> { ["temperature"] = value });

        var error = Assert.Throws<ArgumentException>(() => LineProtocol.Encode(point));
        Assert.Contains("temperature", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_point_without_fields_is_refused()
    {
        var point = new InfluxPoint("telemetry", new Dictionary<string, string?> { ["device"] = "d1" }, new Dictionary<string, TelemetryValue>());

        var error = Assert.Throws<ArgumentException>(() => LineProtocol.Encode(point));
        Assert.Contains("no fields", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_refused_point_leaves_the_builder_as_it_was()
    {
        var builder = new System.Text.StringBuilder("before");
        var point = new InfluxPoint("m", new Dictionary<string, string?>(), new Dictionary<string, TelemetryValue> { ["a"] = 1.0, ["b"] = double.NaN });

        Assert.Throws<ArgumentException>(() => LineProtocol.Append(builder, point));
        Assert.Equal("before", builder.ToString());
    }

    [Theory]
    [InlineData(InfluxPrecision.Nanoseconds, 1_700_000_000_123_000_400L)]
    [InlineData(InfluxPrecision.Microseconds, 1_700_000_000_123_000L)]
    [InlineData(InfluxPrecision.Milliseconds, 1_700_000_000_123L)]
    [InlineData(InfluxPrecision.Seconds, 1_700_000_000L)]
    public void Timestamps_are_integers_in_the_precision(InfluxPrecision precision, long expected) =>
        Assert.Equal(expected, LineProtocol.ToEpoch(Time, precision));
}
