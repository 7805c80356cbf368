using Iot.Api.AlertRoutes;

namespace Iot.Api.Tests.AlertRoutes;

public sealed class MatcherTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["severity"] = "critical", ["room"] = "lab-1" };

    [Theory]
    [InlineData("severity=\"critical\"", "severity", MatchOperator.Equal, "critical")]
    [InlineData("severity = critical", "severity", MatchOperator.Equal, "critical")]
    [InlineData("room!=\"lobby\"", "room", MatchOperator.NotEqual, "lobby")]
    [InlineData("severity=~\"critical|warning\"", "severity", MatchOperator.Regex, "critical|warning")]
    [InlineData("room!~lab-.*", "room", MatchOperator.NotRegex, "lab-.*")]
    [InlineData("summary=\"say \\\"hi\\\"\"", "summary", MatchOperator.Equal, "say \"hi\"")]
    [InlineData("team=\"\"", "team", MatchOperator.Equal, "")]
    public void Alertmanager_syntax_parses(string text, string name, MatchOperator type, string value)
    {
        var matcher = Matcher.Parse(text);
        Assert.Equal((name, type, value), (matcher.Name, matcher.Type, matcher.Value));
    }

    [Theory]
    [InlineData("severity=\"critical\"", true)]
    [InlineData("severity=~\"crit\"", false)]              // regular expressions are anchored
    [InlineData("severity=~\"critical|warning\"", true)]
    [InlineData("room!~\"lab-.*\"", false)]
    [InlineData("team=\"\"", true)]                        // an absent label is empty
    [InlineData("team!=\"facilities\"", true)]
    public void Matching_follows_Alertmanager(string text, bool matches) => Assert.Equal(matches, Matcher.Parse(text).Matches(Labels));

    [Theory]
    [InlineData("", "the matcher is empty")]
    [InlineData("1abc=\"x\"", "column 1: expected a label name")]
    [InlineData("severity>\"x\"", "column 9: expected an operator =, !=, =~ or !~")]
    [InlineData("severity=\"critical", "column 10: unterminated quoted value")]
    [InlineData("severity=~\"(crit\"", "column 11: invalid regular expression")]
    [InlineData("{severity=\"critical\"}", "one matcher per list item")]
    [InlineData("a=\"b\" extra", "column 6: unexpected ' extra' after the quoted value")]
    public void Malformed_matchers_say_what_and_where(string text, string message)
    {
        Assert.False(Matcher.TryParse(text, out _, out var error));
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matcher_prints_in_canonical_form() =>
        Assert.Equal("summary=\"say \\\"hi\\\"\"", Matcher.Parse("summary = \"say \\\"hi\\\"\"").ToString());
}
