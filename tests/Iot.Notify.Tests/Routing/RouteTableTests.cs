using Iot.Notify.Routing;

using static Iot.Notify.Tests.Support.TestRoutes;

namespace Iot.Notify.Tests.Routing;

public sealed class RouteTableTests
{
    private static readonly Dictionary<string, string> Critical = new() { ["severity"] = "critical", ["room"] = "lab-1", ["team"] = "facilities" };

    [Fact]
    public void Routes_are_tried_in_ascending_priority_then_by_name_and_the_first_match_wins()
    {
        var table = RouteTable.Build([Route("zeta", priority: 10), Route("alpha", priority: 10), Route("first", priority: 1, matchers: ["severity=\"warning\""]), Route("late", priority: 50)]);

        Assert.Equal(["first", "alpha", "zeta", "late"], table.Routes.Select(r => r.Name));
        Assert.Equal(["alpha"], table.Match(Critical).Select(r => r.Name));
    }

    [Fact]
    public void Continue_keeps_trying_later_routes_until_one_matches_without_it()
    {
        var table = RouteTable.Build([
            Route("audit", priority: 1, @continue: true),
            Route("critical", priority: 2, matchers: ["severity=\"critical\""], @continue: true),
            Route("lab", priority: 3, matchers: ["room=~\"lab-.*\""]),
            Route("catch-all", priority: 4),
        ]);

        Assert.Equal(["audit", "critical", "lab"], table.Match(Critical).Select(r => r.Name));
        Assert.Equal(["audit", "catch-all"], table.Match(new Dictionary<string, string> { ["room"] = "hall" }).Select(r => r.Name));
    }

    [Theory]
    [InlineData("severity=\"critical\"", true)]
    [InlineData("severity!=\"critical\"", false)]
    [InlineData("room=~\"lab-[0-9]+\"", true)]
    [InlineData("room=~\"lab\"", false)] // anchored
    [InlineData("team!~\"ops|sre\"", true)]
    [InlineData("missing=\"\"", true)] // an absent label is empty
    public void Matchers_use_Alertmanager_operators(string matcher, bool matches)
    {
        var table = RouteTable.Build([Route("r", matchers: [matcher])]);

        Assert.Equal(matches, table.Match(Critical).Any());
    }

    [Fact]
    public void A_route_that_cannot_be_compiled_is_left_out_and_the_error_says_which_field()
    {
        var table = RouteTable.Build([Route("good"), Route("bad", matchers: ["severity=="]), Route("slow", groupWait: "soon")]);

        Assert.Equal(["good"], table.Routes.Select(r => r.Name));
        Assert.Contains(table.Errors, e => e.StartsWith("bad: spec.matchers[0]", StringComparison.Ordinal));
        Assert.Contains(table.Errors, e => e.StartsWith("slow: spec.groupWait", StringComparison.Ordinal));
    }

    [Fact]
    public void Group_keys_hold_the_group_by_labels_in_order_and_ellipsis_groups_by_every_label()
    {
        var byRoom = RouteTable.Build([Route("ops", groupBy: ["room", "alertname"])]).Routes[0];
        var all = RouteTable.Build([Route("all", groupBy: ["..."])]).Routes[0];

        Assert.Equal("ops:{room=\"lab-1\"}", byRoom.GroupKeyOf(Critical));
        Assert.Equal("all:{room=\"lab-1\",severity=\"critical\",team=\"facilities\"}", all.GroupKeyOf(Critical));
    }

    [Fact]
    public void Route_test_explains_each_route_matched_unmatched_or_not_tried()
    {
        var table = RouteTable.Build([
            Route("warnings", priority: 1, matchers: ["severity=\"warning\""]),
            Route("lab", priority: 2, matchers: ["room=\"lab-1\"", "severity=~\"critical|warning\""], receivers: [Webhook("lab-hook", "http://127.0.0.1:9/")]),
            Route("fallback", priority: 3),
        ]);

        var result = table.Test(Critical, DateTimeOffset.UnixEpoch);

        Assert.Equal(["lab"], result.Matched.Select(r => r.Route));
        Assert.Equal("no match: severity=\"warning\" (got \"critical\")", result.Routes[0].Reason);
        Assert.Equal("match: room=\"lab-1\", severity=~\"critical|warning\"", result.Routes[1].Reason);
        Assert.Equal([new ReceiverReference("lab-hook", "webhook")], result.Routes[1].Receivers);
        Assert.Equal("not tried: route lab matched before it without continue", result.Routes[2].Reason);
    }

    [Theory]
    [InlineData("severity=critical,room=lab-1", 2)]
    [InlineData("summary=\"a, b\"", 1)]
    [InlineData("", 0)]
    public void Label_sets_parse_name_value_pairs(string text, int count)
    {
        Assert.True(LabelSet.TryParse(text, out var labels, out var error), error);
        Assert.Equal(count, labels.Count);
    }

    [Theory]
    [InlineData("severity", "\"severity\" is not name=value")]
    [InlineData("a=1,a=2", "label \"a\" is given twice")]
    public void Bad_label_sets_say_what_is_wrong(string text, string message)
    {
        Assert.False(LabelSet.TryParse(text, out _, out var error));
        Assert.StartsWith(message, error, StringComparison.Ordinal);
    }
}
