using System.Text.Json;

namespace Iot.Cli.Tests;

public sealed class RoutesCommandTests : IDisposable
{
    private readonly TempDirectory dir = new();

    public void Dispose() => dir.Dispose();

    [Fact]
    public async Task A_critical_facilities_alert_reaches_the_oncall_hook_and_continues_to_the_facilities_mail()
    {
        var run = await CliRun.RunAsync("routes", "test", "--labels", "severity=critical,team=facilities,room=lab-1,rule=overheat", "--at", "2026-01-05T12:00:00Z", RepositoryRoot.Combine("examples"));

        Assert.True(run.ExitCode == 0, run.Output + run.Error);
        Assert.Contains("MATCH critical-oncall (priority 10, continue): match: severity=\"critical\"", run.Lines);
        Assert.Contains("      receivers: oncall-hook (webhook)", run.Lines);
        Assert.Contains("      group: critical-oncall:{room=\"lab-1\",rule=\"overheat\"}", run.Lines);
        Assert.Contains(run.Lines, l => l.StartsWith("MATCH facilities-mail (priority 100)", StringComparison.Ordinal));
        Assert.Equal("=> 2 receiver(s): oncall-hook (webhook, route critical-oncall), facilities-mail (email, route facilities-mail)", run.Lines[^1]);
    }

    [Fact]
    public async Task A_route_muted_at_the_given_time_says_so()
    {
        // 2026-01-03 is a Saturday: facilities-mail is muted at weekends.
        var run = await CliRun.RunAsync("routes", "test", "-l", "severity=warning,team=facilities,room=lab-1", "--at", "2026-01-03T12:00:00Z", RepositoryRoot.Combine("examples"));

        Assert.Contains("      muted at 2026-01-03 12:00:00Z by its muteTimeIntervals: nothing is sent then", run.Lines);
    }

    [Fact]
    public async Task Labels_no_route_matches_exit_with_1_and_each_route_says_why_not()
    {
        var file = dir.Write("routes.yaml", """
            apiVersion: iotoperator.io/v1alpha1
            kind: AlertRoute
            metadata: {name: lab, namespace: b}
            spec:
              matchers: ['room=~"lab-.*"', 'severity="critical"']
              receivers: [{name: bus, mqtt: {topic: alerts/lab}}]
            """);

        var run = await CliRun.RunAsync("routes", "test", "--labels", "room=hall,severity=critical", file);

        Assert.Equal(1, run.ExitCode);
        Assert.Contains("-     lab (priority 100): no match: room=~\"lab-.*\" (got \"hall\")", run.Lines);
        Assert.Equal("=> no route matches: the alert is not notified", run.Lines[^1]);
    }

    [Fact]
    public async Task Json_output_lists_every_route_with_its_verdict()
    {
        var run = await CliRun.RunAsync("routes", "test", "-l", "severity=info", "-o", "json", RepositoryRoot.Combine("examples"));

        using var json = JsonDocument.Parse(run.Output);
        var routes = json.RootElement.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(["critical-oncall", "facilities-mail"], routes.Select(r => r.GetProperty("route").GetString()));
        Assert.All(routes, r => Assert.False(r.GetProperty("matched").GetBoolean()));
    }

    [Theory]
    [InlineData("severity", "--labels: \"severity\" is not name=value")]
    [InlineData("a=1,a=2", "--labels: label \"a\" is given twice")]
    public async Task Bad_labels_exit_with_2_and_say_what_is_wrong(string labels, string message)
    {
        var run = await CliRun.RunAsync("routes", "test", "--labels", labels, RepositoryRoot.Combine("examples"));

        Assert.Equal(2, run.ExitCode);
        Assert.StartsWith(message, run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Manifests_of_several_namespaces_need_a_namespace()
    {
        var file = dir.Write("routes.yaml", """
            apiVersion: iotoperator.io/v1alpha1
            kind: AlertRoute
            metadata: {name: a, namespace: one}
            spec: {receivers: [{name: bus, mqtt: {topic: alerts/a}}]}
            ---
            apiVersion: iotoperator.io/v1alpha1
            kind: AlertRoute
            metadata: {name: b, namespace: two}
            spec: {receivers: [{name: bus, mqtt: {topic: alerts/b}}]}
            """);

        var ambiguous = await CliRun.RunAsync("routes", "test", "-l", "x=1", file);
        var chosen = await CliRun.RunAsync("routes", "test", "-l", "x=1", "-n", "two", file);

        Assert.Equal(2, ambiguous.ExitCode);
        Assert.Contains("choose one with --namespace", ambiguous.Error, StringComparison.Ordinal);
        Assert.Equal(0, chosen.ExitCode);
        Assert.Contains("MATCH b (priority 100): match: the route has no matchers", chosen.Lines);
    }
}
