using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;

using Iot.Cli.Validation;

namespace Iot.Cli.Commands;

/// <summary><c>iotctl validate PATH...</c>: offline validation of manifests for GitOps pipelines.</summary>
internal static class ValidateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("paths")
        {
            Description = "Files or directories (searched recursively for .yaml, .yml and .json) of manifests.",
            Arity = ArgumentArity.OneOrMore,
        };
        var output = new Option<string>("--output", "-o") { Description = "text (file:line: Kind/name: field: message) or json.", DefaultValueFactory = _ => "text" };
        output.AcceptOnlyFromAmong("text", "json");
        var command = new Command("validate", "Validate Device, Room, EdgeRule and AlertRoute manifests offline: schema, rules and references between them. Exit code 1 when there are errors; warnings do not fail.")
        {
            paths,
            output,
        };
        command.SetAction(parse =>
        {
            var report = ManifestValidator.Validate(parse.GetRequiredValue(paths));
            var stdout = parse.InvocationConfiguration.Output;
            if (parse.GetValue(output) == "json")
            {
                stdout.WriteLine(ToJson(report).ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
            }
            else
            {
                foreach (var diagnostic in report.Diagnostics)
                {
                    stdout.WriteLine(diagnostic);
                }

                parse.InvocationConfiguration.Error.WriteLine(
                    $"{report.Objects} object(s) in {report.Files} file(s): {report.Errors} error(s), {report.Warnings} warning(s)");
            }

            return report.Errors > 0 ? 1 : 0;
        });
        return command;
    }

    private static JsonObject ToJson(ValidationReport report)
    {
        JsonArray Items(bool warnings) => [.. report.Diagnostics.Where(d => d.IsWarning == warnings).Select(d => (JsonNode)new JsonObject
        {
            ["file"] = d.File,
            ["line"] = d.Line,
            ["kind"] = d.Kind,
            ["name"] = d.Name,
            ["namespace"] = d.Namespace,
            ["field"] = d.Field,
            ["message"] = d.Message,
        })];
        return new JsonObject
        {
            ["valid"] = report.Errors == 0,
            ["files"] = report.Files,
            ["objects"] = report.Objects,
            ["errors"] = Items(false),
            ["warnings"] = Items(true),
        };
    }
}
