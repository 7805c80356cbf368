using System.Text.Json.Nodes;

using Iot.Api.Manifests;

namespace Iot.Api.Tests.Manifests;

public sealed class ManifestReaderTests
{
    private const string TwoDocuments = """
        # leading comment
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: first
        ---
        apiVersion: iotoperator.io/v1alpha1
        kind: Device
        metadata:
          name: thermo-1
        spec:
          type: thermostat
          telemetry:
            - name: temperature
              type: number
            - {name: door, type: boolean}
        ---
        """;

    [Fact]
    public void Every_document_is_read_with_its_starting_line()
    {
        var documents = ManifestReader.Read(TwoDocuments, "two.yaml");
        Assert.Equal([2, 7], documents.Select(d => d.Line));
        Assert.Equal(["ConfigMap", "Device"], documents.Select(d => d.Kind));
        Assert.Equal("thermo-1", documents[1].Name);
    }

    [Theory]
    [InlineData("spec.type", 12)]
    [InlineData("spec.telemetry[0].type", 15)]
    [InlineData("spec.telemetry[1].type", 16)]
    [InlineData("spec.telemetry[1]", 16)]
    [InlineData("spec.telemetry[0].unit", 14)]   // absent: the nearest ancestor present
    [InlineData("spec.missing.deeper", 11)]
    public void Field_paths_map_to_their_lines(string path, int line) =>
        Assert.Equal(line, ManifestReader.Read(TwoDocuments, "two.yaml")[1].LineOf(path));

    [Fact]
    public void Plain_scalars_resolve_as_in_the_YAML_core_schema_and_quoted_ones_stay_strings()
    {
        var content = ManifestReader.Read("""
            a: 2
            b: -1.5
            c: true
            d: ~
            e: "2"
            f: '2.4.1'
            g: 2.4.1
            h: 1e3
            i: 0x1F
            j: null
            k: ""
            """, "s.yaml")[0].Content;
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"a":2,"b":-1.5,"c":true,"d":null,"e":"2","f":"2.4.1","g":"2.4.1","h":1000,"i":31,"j":null,"k":""}"""), content));
    }

    [Theory]
    [InlineData("a: [1, 2\nb: 3", 2, "invalid YAML: the document ends inside")]
    [InlineData("a: 1\na: 2", 2, "invalid YAML: duplicate key \"a\"")]
    [InlineData("- just\n- a list", 1, "must be an object")]
    public void Unreadable_YAML_is_an_error_with_its_line(string text, int line, string message)
    {
        var error = Assert.Throws<ManifestException>(() => ManifestReader.Read(text, "bad.yaml"));
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.StartsWith($"bad.yaml:{line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Empty_documents_are_skipped() => Assert.Empty(ManifestReader.Read("---\n# nothing\n---\n", "e.yaml"));
}
