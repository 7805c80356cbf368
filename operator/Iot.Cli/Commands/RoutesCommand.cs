using System.CommandLine;
using System.Globalization;
using System.Text.Json;

using Iot.Api;
using Iot.Api.AlertRoutes;
using Iot.Api.Manifests;
using Iot.Cli.Validation;
using Iot.Notify.Routing;

using k8s;

namespace Iot.Cli.Commands;

/// <summary>
/// <c>iotctl routes test --labels k=v,... PATH...</c>: offline, like amtool's <c>config routes test</c>: which AlertRoutes
/// of the manifests an alert with those labels reaches, in the order notify tries them, with each route's receivers,
/// group and the reason it matched or not. Exit code 0 when a route matches, 1 when none does, 2 on bad input.
/// </summary>
internal static class RoutesCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Files or directories (searched recursively for .yaml, .yml and .json) holding AlertRoute manifests.",
            Arity = ArgumentArity.OneOrMore,
        };
        var labels = new Option<string>("--labels", "-l")
        {
            Description = "The alert's labels: name=value,name=value (quote a value holding commas: summary=\"a, b\").",
            Required = true,
        };
        var ns = new Option<string?>("--namespace", "-n") { Description = "Use the AlertRoutes of this namespace (needed when the manifests span several)." };
        var at = new Option<string?>("--at") { Description = "Judge mute time intervals at this ISO-8601 time instead of now." };
        var output = new Option<string>("--output", "-o") { Description = "text or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var test = new Command("test", "Show which AlertRoutes and receivers an alert with the given labels reaches, and why.") { paths, labels, ns, at, output };
        test.SetAction(parse => Run(
            parse.GetRequiredValue(paths), parse.GetRequiredValue(labels), parse.GetValue(ns), parse.GetValue(at), parse.GetValue(output) == "json",
            parse.InvocationConfiguration.Output, parse.InvocationConfiguration.Error));
        return new Command("routes", "Work with AlertRoutes offline.") { test };
    }

    private static int Run(string[] paths, string labelText, string? ns, string? atText, bool json, TextWriter stdout, TextWriter stderr)
    {
        if (!LabelSet.TryParse(labelText, out var labels, out var labelError))
        {
            stderr.WriteLine($"--labels: {labelError}");
            return 2;
        }

        var at = DateTimeOffset.UtcNow;
        if (atText is not null && !DateTimeOffset.TryParse(atText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at))
        {
            stderr.WriteLine($"--at: \"{atText}\" is not an ISO-8601 time, e.g. 2026-01-03T12:00:00Z");
            return 2;
        }

        var problems = new List<Diagnostic>();
        var routes = new List<AlertRoute>();
        foreach (var file in ManifestValidator.ExpandPaths(paths, problems))
        {
            try
            {
                foreach (var document in ManifestReader.ReadFile(file).Where(d => d.ApiVersion == IotApi.ApiVersion && d.Kind == "AlertRoute"))
                {
                    try
                    {
                        routes.Add(KubernetesJson.Deserialize<AlertRoute>(document.Content.ToJsonString()));
                    }
                    catch (JsonException e)
                    {
                        problems.Add(new Diagnostic(file, document.Line, "AlertRoute", document.Name, document.Namespace, e.Path, e.Message, IsWarning: false));
                    }
                }
            }
            catch (ManifestException e)
            {
                problems.Add(new Diagnostic(file, e.Line, null, null, null, null, e.Reason, IsWarning: false));
            }
        }

        foreach (var problem in problems)
        {
            stderr.WriteLine(problem);
        }

        if (problems.Count > 0)
        {
            return 2;
        }

        var namespaces = routes.Select(r => r.Metadata.NamespaceProperty).OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        if (ns is null && namespaces.Count > 1)
        {
            stderr.WriteLine($"the AlertRoutes are in {namespaces.Count} namespaces ({string.Join(", ", namespaces)}); choose one with --namespace");
            return 2;
        }

        var table = RouteTable.Build(routes.Where(r => ns is null || r.Metadata.NamespaceProperty is null || r.Metadata.NamespaceProperty == ns));
        if (table.Routes.Count == 0 && table.Errors.Count == 0)
        {
            stderr.WriteLine($"no AlertRoute found in {string.Join(", ", paths)}{(ns is null ? "" : $" in namespace {ns}")}");
            return 2;
        }

        var result = table.Test(labels, at);
        if (json)
        {
            stdout.WriteLine(JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        }
        else
        {
            Print(result, at, stdout);
        }

        foreach (var error in result.Errors)
        {
            stderr.WriteLine($"warning: AlertRoute left out: {error}");
        }

        return result.Matched.Any() ? 0 : 1;
    }

    private static void Print(RouteTestResult result, DateTimeOffset at, TextWriter stdout)
    {
        stdout.WriteLine("labels: " + string.Join(", ", result.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}=\"{l.Value}\"")));
        foreach (var route in result.Routes)
        {
            stdout.WriteLine($"{(route.Matched ? "MATCH" : "-    ")} {route.Route} (priority {route.Priority}{(route.Continue ? ", continue" : "")}): {route.Reason}");
            if (route.Matched)
            {
                stdout.WriteLine($"      receivers: {string.Join(", ", route.Receivers.Select(r => $"{r.Name} ({r.Type})"))}");
                stdout.WriteLine($"      group: {route.GroupKey}");
                if (route.MutedNow)
                {
                    stdout.WriteLine($"      muted at {at:u} by its muteTimeIntervals: nothing is sent then");
                }
            }
        }

        var receivers = result.Matched.SelectMany(r => r.Receivers.Select(x => $"{x.Name} ({x.Type}, route {r.Route})")).ToList();
        stdout.WriteLine(receivers.Count == 0 ? "=> no route matches: the alert is not notified" : $"=> {receivers.Count} receiver(s): {string.Join(", ", receivers)}");
    }
}
