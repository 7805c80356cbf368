using System.CommandLine;

using Iot.Api.Crds;

namespace Iot.Cli.Commands;

/// <summary><c>iotctl crds --output DIR</c>: writes one CRD YAML per kind, generated from the C# types.</summary>
internal static class CrdsCommand
{
    public static Command Create()
    {
        var output = new Option<DirectoryInfo>("--output", "-o")
        {
            Description = "Directory to write the CRD files to (created if missing); '-' writes them to standard output.",
            Required = true,
            CustomParser = r => new DirectoryInfo(r.Tokens.Single().Value),
        };
        var command = new Command("crds", "Generate the CustomResourceDefinitions of the four kinds.") { output };
        command.SetAction(parse =>
        {
            var directory = parse.GetRequiredValue(output);
            foreach (var crd in CrdGenerator.GenerateAll())
            {
                if (directory.Name == "-")
                {
                    parse.InvocationConfiguration.Output.Write("---\n" + crd.Yaml);
                    continue;
                }

                directory.Create();
                var path = Path.Combine(directory.FullName, crd.FileName);
                File.WriteAllText(path, crd.Yaml);
                parse.InvocationConfiguration.Output.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, path)}");
            }

            return 0;
        });
        return command;
    }
}
