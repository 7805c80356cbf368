using Iot.Storage.Influx;

namespace Iot.Storage.Tests.Influx;

public sealed class InfluxQLTests
{
    [Theory]
    [InlineData("ns1", "ns1")]
    [InlineData("x_5m", "x_5m")]
    [InlineData("lab-1_raw", "\"lab-1_raw\"")]
    [InlineData("default", "\"default\"")]
    [InlineData("1room", "\"1room\"")]
    [InlineData("a\"b\\c", "\"a\\\"b\\\\c\"")]
    public void Identifiers_are_quoted_only_when_influxd_would(string name, string expected) => Assert.Equal(expected, InfluxQL.Identifier(name));

    [Fact]
    public void String_literals_escape_single_quotes_and_backslashes() => Assert.Equal(@"'it\'s a\\b'", InfluxQL.StringLiteral(@"it's a\b"));

    [Theory]
    [InlineData("168h0m0s", 7 * 24 * 60)]
    [InlineData("1h30m0s", 90)]
    [InlineData("24h0m0s", 24 * 60)]
    [InlineData("0s", 0)]
    [InlineData("INF", 0)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData("2w", 14 * 24 * 60)]
    public void Durations_parse_from_what_influxd_prints(string text, int minutes) => Assert.Equal(TimeSpan.FromMinutes(minutes), InfluxQL.ParseDuration(text));

    [Fact]
    public void Fractional_go_durations_parse() => Assert.Equal(TimeSpan.FromMilliseconds(1500), InfluxQL.ParseDuration("1.5s"));

    [Theory]
    [InlineData("")]
    [InlineData("7")]
    [InlineData("h")]
    [InlineData("5x")]
    public void Garbage_is_not_a_duration(string text) => Assert.Throws<FormatException>(() => InfluxQL.ParseDuration(text));

    [Theory]
    [InlineData(5, "5m")]
    [InlineData(60, "1h")]
    [InlineData(90, "90m")]
    [InlineData(24 * 60, "1d")]
    [InlineData(7 * 24 * 60, "1w")]
    [InlineData(0, "INF")]
    public void Durations_are_written_in_the_largest_exact_unit(int minutes, string expected) => Assert.Equal(expected, InfluxQL.Duration(TimeSpan.FromMinutes(minutes)));
}
