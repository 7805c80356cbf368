using YamlDotNet.RepresentationModel;

namespace Iot.Chart.Tests.Support;

/// <summary>The chart in charts/iot-operator, rendered by <c>helm template</c> into parsed objects.</summary>
internal static class HelmChart
{
    public const string Release = "iot";

    public const string ReleaseNamespace = "iot-system";

    public static string Directory { get; } = RepositoryRoot.Combine("charts", "iot-operator");

    /// <summary>The values file that turns every optional feature on.</summary>
    public static string AllFeatures { get; } = RepositoryRoot.Combine("charts", "iot-operator", "ci", "all-features-values.yaml");

    /// <summary>The objects <c>helm template</c> renders with <paramref name="values"/> (<c>--set</c>) and optional values files.</summary>
    public static async Task<IReadOnlyList<YamlMappingNode>> RenderAsync(IEnumerable<string>? values = null, params string[] valuesFiles) =>
        Parse((await TemplateAsync(values, valuesFiles, mayFail: false)).Output);

    /// <summary>Runs <c>helm template</c> (with the CRDs) and returns what it printed.</summary>
    public static Task<ToolResult> TemplateAsync(IEnumerable<string>? values, IEnumerable<string> valuesFiles, bool mayFail)
    {
        List<string> args = ["template", Release, Directory, "--namespace", ReleaseNamespace, "--include-crds"];
        foreach (var file in valuesFiles)
        {
            args.AddRange(["--values", file]);
        }

        foreach (var value in values ?? [])
        {
            args.AddRange(["--set", value]);
        }

        return Tool.Helm.RunAsync(args, mayFail);
    }

    /// <summary>Every non-empty YAML document of a multi-document stream.</summary>
    public static IReadOnlyList<YamlMappingNode> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return [.. stream.Documents.Select(d => d.RootNode).OfType<YamlMappingNode>()];
    }

    public static string? Scalar(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return (current as YamlScalarNode)?.Value;
    }

    public static YamlNode? Node(this YamlNode node, params string[] path)
    {
        var current = node;
        foreach (var key in path)
        {
            if (current is not YamlMappingNode map || !map.Children.TryGetValue(new YamlScalarNode(key), out var next))
            {
                return null;
            }

            current = next;
        }

        return current;
    }

    public static IReadOnlyList<string> Strings(this YamlNode node, params string[] path) =>
        node.Node(path) is YamlSequenceNode items ? [.. items.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "")] : [];

    public static string Kind(this YamlNode obj) => obj.Scalar("kind") ?? "";

    public static string Name(this YamlNode obj) => obj.Scalar("metadata", "name") ?? "";

    public static YamlMappingNode Single(this IReadOnlyList<YamlMappingNode> objects, string kind) => Assert.Single(objects, o => o.Kind() == kind);
}
