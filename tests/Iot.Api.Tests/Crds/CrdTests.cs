using System.Text.Json.Nodes;

using Iot.Api.Crds;
using Iot.Api.Manifests;
using Iot.Api.Schema;

namespace Iot.Api.Tests.Crds;

public sealed class CrdTests
{
    public static TheoryData<string> Kinds => [.. CrdGenerator.GenerateAll().Select(c => c.FileName)];

    private static GeneratedCrd Crd(string file) => CrdGenerator.GenerateAll().Single(c => c.FileName == file);

    private static JsonObject Schema(string file) => (JsonObject)Crd(file).Definition["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Committed_crd_matches_the_csharp_types_byte_for_byte(string file)
    {
        var committed = RepositoryRoot.Combine("crds", file);
        Assert.True(File.Exists(committed), $"{committed} is missing: run `make crds`");
        Assert.True(File.ReadAllText(committed) == Crd(file).Yaml, $"crds/{file} is stale: run `make crds` and commit the result");
    }

    [Fact]
    public void Crds_folder_holds_exactly_one_file_per_kind() => Assert.Equal(
        CrdGenerator.GenerateAll().Select(c => c.FileName).Order(),
        Directory.GetFiles(RepositoryRoot.Combine("crds")).Select(Path.GetFileName).Order());

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Schema_is_structural(string file) => Assert.Empty(StructuralSchema.FindStructuralErrors(Schema(file)));

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_spec_and_status_field_has_a_description(string file)
    {
        var undocumented = new List<string>();
        void Walk(JsonObject node, string path)
        {
            if (string.IsNullOrWhiteSpace((string?)node["description"]))
            {
                undocumented.Add(path);
            }

            foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
            {
                Walk(child!.AsObject(), $"{path}.{name}");
            }

            if (node["items"] is JsonObject { } items && items["properties"] is not null)
            {
                foreach (var (name, child) in items["properties"]!.AsObject())
                {
                    Walk(child!.AsObject(), $"{path}[].{name}");
                }
            }
        }

        Walk(Schema(file)["properties"]!["spec"]!.AsObject(), "spec");
        Walk(Schema(file)["properties"]!["status"]!.AsObject(), "status");
        Assert.Empty(undocumented);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_printer_column_points_into_the_schema(string file)
    {
        var columns = Crd(file).Definition["spec"]!["versions"]![0]!["additionalPrinterColumns"]!.AsArray();
        Assert.NotEmpty(columns);
        Assert.All(columns, c => Assert.NotNull(CrdGenerator.SchemaAt(Schema(file), (string)c!["jsonPath"]!)));
        Assert.Equal(["Ready", "Age"], columns.TakeLast(2).Select(c => (string)c!["name"]!));
    }

    [Fact]
    public void Exactly_one_condition_kind_is_a_CEL_rule_in_the_crd()
    {
        var condition = Schema("iotoperator.io_edgerules.yaml")["properties"]!["spec"]!["properties"]!["condition"]!;
        Assert.Equal(
            "[has(self.threshold), has(self.window), has(self.absence), has(self.rateOfChange), has(self.anomaly), has(self.expression)].filter(x, x).size() == 1",
            (string)condition["x-kubernetes-validations"]![0]!["rule"]!);
    }

    [Fact]
    public void Only_command_payloads_preserve_unknown_fields()
    {
        var preserved = new List<string>();
        void Walk(JsonNode? node, string path)
        {
            if (node is JsonObject o)
            {
                if (o["x-kubernetes-preserve-unknown-fields"] is not null)
                {
                    preserved.Add(path);
                }

                foreach (var (name, child) in o)
                {
                    Walk(child, $"{path}.{name}");
                }
            }
        }

        foreach (var crd in CrdGenerator.GenerateAll())
        {
            Walk(Schema(crd.FileName), crd.FileName);
        }

        Assert.Equal(
            ["iotoperator.io_edgerules.yaml.properties.spec.properties.actions.items.properties.command.properties.payload"],
            preserved);
    }

    [Fact]
    public void Names_short_names_and_category_follow_the_design()
    {
        var names = CrdGenerator.GenerateAll().Select(c => c.Definition["spec"]!["names"]!).ToList();
        Assert.Equal(["iotdev", "room", "edgerule", "alertroute"], names.Select(n => (string)n["shortNames"]![0]!));
        Assert.All(names, n => Assert.Equal("iot", (string)n["categories"]![0]!));
    }

    [Fact]
    public void Generated_yaml_reads_back_as_the_same_definition()
    {
        foreach (var crd in CrdGenerator.GenerateAll())
        {
            Assert.True(JsonNode.DeepEquals(crd.Definition, ManifestReader.Read(crd.Yaml, crd.FileName).Single().Content), crd.FileName);
        }
    }
}
