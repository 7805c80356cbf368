using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class LabelSelectorTests
{
    private static readonly Dictionary<string, Dictionary<string, string>> Objects = new()
    {
        ["web-1"] = new() { ["app"] = "web", ["tier"] = "front", ["replicas"] = "3" },
        ["web-2"] = new() { ["app"] = "web", ["tier"] = "back" },
        ["db"] = new() { ["app"] = "db", ["legacy"] = "" },
        ["bare"] = new(),
    };

    [Theory]
    [InlineData("", "bare,db,web-1,web-2")]
    [InlineData("app=web", "web-1,web-2")]
    [InlineData("app==web", "web-1,web-2")]
    [InlineData("app!=web", "bare,db")]
    [InlineData("app in (db,cache)", "db")]
    [InlineData("tier notin (front)", "bare,db,web-2")]
    [InlineData("tier", "web-1,web-2")]
    [InlineData("!tier", "bare,db")]
    [InlineData("legacy=", "db")]
    [InlineData("app=web,tier=back", "web-2")]
    [InlineData("  app = web , !legacy ", "web-1,web-2")]
    [InlineData("replicas>2", "web-1")]
    [InlineData("replicas<3", "")]
    [InlineData("example.com/owner", "")]
    public void Selector_matches_the_objects_kubernetes_would_select(string selector, string expected)
    {
        var parsed = LabelSelector.Parse(selector);

        var matching = Objects.Where(o => parsed.Matches(o.Value)).Select(o => o.Key).Order(StringComparer.Ordinal);

        Assert.Equal(expected, string.Join(",", matching));
    }

    [Theory]
    [InlineData("app=", "app", "Equals", "")]
    [InlineData("in in (in, notin)", "in", "In", "in|notin")]
    [InlineData("a in ()", "a", "In", "")]
    [InlineData("a notin (x,)", "a", "NotIn", "x|")]
    public void Keywords_and_empty_values_parse_as_kubernetes_parses_them(string selector, string key, string op, string values)
    {
        var requirement = Assert.Single(LabelSelector.Parse(selector).Requirements);

        Assert.Equal(key, requirement.Key);
        Assert.Equal(op, requirement.Operator.ToString());
        Assert.Equal(values.Split('|'), requirement.Values);
    }

    [Theory]
    [InlineData("app=web,", "found '', expected: identifier after ','")]
    [InlineData("=web", "found '=', expected: !, identifier, or 'end of string'")]
    [InlineData("app web", "found 'web', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("app in web", "found 'web' expected: '('")]
    [InlineData("app in (web", "found '', expected: ',' or ')'")]
    [InlineData("app in (a b)", "found 'b', expected: ',' or ')'")]
    [InlineData("!app=web", "found '=', expected: ',' or 'end of string'")]
    [InlineData("app=a=b", "found '=', expected: ',' or 'end of string'")]
    [InlineData("app=web!", "found '!', expected: ',' or 'end of string'")]
    [InlineData("bad key!=x", "found 'key', expected: in, notin, =, ==, !=, gt, lt")]
    [InlineData("-app=x", "key: Invalid value: \"-app\"")]
    [InlineData("app=-x", "values[0][app]: Invalid value: \"-x\"")]
    [InlineData("replicas>two", "for 'Gt', 'Lt' operators, the value must be an integer")]
    public void Malformed_selector_is_a_bad_request_naming_the_problem(string selector, string problem)
    {
        var error = Assert.Throws<ApiException>(() => LabelSelector.Parse(selector));

        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
        Assert.StartsWith("unable to parse requirement: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(problem, error.Message, StringComparison.Ordinal);
        Assert.Contains(selector, error.Message, StringComparison.Ordinal);
    }
}
