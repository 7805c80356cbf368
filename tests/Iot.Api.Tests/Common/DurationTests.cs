using Iot.Api.Common;

namespace Iot.Api.Tests.Common;

public sealed class DurationTests
{
    [Theory]
    [InlineData("30s", 30)]
    [InlineData("5m", 300)]
    [InlineData("2h", 7200)]
    [InlineData("7d", 604800)]
    [InlineData("1w", 604800)]
    [InlineData("1h30m", 5400)]
    [InlineData("1500ms", 1.5)]
    public void Accepted_durations_parse_to_their_length(string text, double seconds)
    {
        Assert.True(Duration.TryParse(text, out var value));
        Assert.Equal(TimeSpan.FromSeconds(seconds), value);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("m5")]
    [InlineData("5 m")]
    [InlineData("5min")]
    [InlineData("30m1h")]
    [InlineData("1h1h")]
    [InlineData("-5m")]
    [InlineData("1.5h")]
    [InlineData("99999999999999999999w")]
    public void Malformed_durations_are_rejected(string text)
    {
        Assert.False(Duration.TryParse(text, out _));
        Assert.Contains("is not a duration", Duration.Describe(text), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1h30m")]
    [InlineData("3d")]
    [InlineData("2w3d4h5m6s7ms")]
    public void Format_writes_what_parse_reads(string text) => Assert.Equal(text, Duration.Format(Duration.Parse(text)));

    [Fact]
    public void The_schema_pattern_agrees_with_the_parser()
    {
        var pattern = new System.Text.RegularExpressions.Regex(Duration.Pattern);
        Assert.Matches(pattern, "1h30m");
        Assert.DoesNotMatch(pattern, "5min");
    }
}
