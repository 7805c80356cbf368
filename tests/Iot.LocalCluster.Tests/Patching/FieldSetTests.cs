using System.Text.Json.Nodes;

using Iot.LocalCluster.Patching;

namespace Iot.LocalCluster.Tests.Patching;

public sealed class FieldSetTests
{
    private const string RealFieldsV1 = """
        {"f:metadata":{"f:finalizers":{"v:\"example.com/cleanup\"":{}},"f:labels":{"f:app":{}}},"f:spec":{"f:replicas":{},"f:template":{"f:spec":{"f:containers":{"k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{}}}}}}}
        """;

    [Fact]
    public void Reads_the_members_of_FieldsV1()
    {
        FieldSet set = FieldSet.FromFieldsV1(JsonNode.Parse(RealFieldsV1)!.AsObject());

        Assert.Equal(
            [
                ".metadata.finalizers[=\"example.com/cleanup\"]",
                ".metadata.labels.app",
                ".spec.replicas",
                ".spec.template.spec.containers[name=\"web\"]",
                ".spec.template.spec.containers[name=\"web\"].image",
                ".spec.template.spec.containers[name=\"web\"].name",
            ],
            set.Paths.Select(path => path.ToString()).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Writes_FieldsV1_as_the_API_server_does()
    {
        FieldSet set = FieldSet.FromFieldsV1(JsonNode.Parse(RealFieldsV1)!.AsObject());

        Assert.Equal(RealFieldsV1.Trim(), CanonicalJson.Write(set.ToFieldsV1()));
    }

    [Fact]
    public void Sorts_fields_before_keys_before_values()
    {
        FieldPath list = FieldPath.Root.Append(PathElement.Field("list"));
        FieldSet set = new([
            list.Append(PathElement.Value(JsonValue.Create("a"))),
            list.Append(PathElement.Key([new("name", JsonValue.Create("x"))])),
            list.Append(PathElement.Field("z")),
        ]);

        Assert.Equal("""{"f:list":{"f:z":{},"k:{\"name\":\"x\"}":{},"v:\"a\"":{}}}""", CanonicalJson.Write(set.ToFieldsV1()));
    }

    [Fact]
    public void Writes_keys_with_their_fields_sorted()
    {
        PathElement key = PathElement.Parse("""k:{"protocol":"TCP","containerPort":80}""");

        Assert.Equal("""k:{"containerPort":80,"protocol":"TCP"}""", key.Serialized);
        Assert.Equal("""[containerPort=80,protocol="TCP"]""", key.Display);
    }

    [Theory]
    [InlineData("""{"x:spec":{}}""")]
    [InlineData("""{"f:spec":1}""")]
    [InlineData("""{"k:[1]":{}}""")]
    public void Rejects_malformed_FieldsV1(string fieldsV1)
    {
        Assert.Throws<PatchException>(() => FieldSet.FromFieldsV1(JsonNode.Parse(fieldsV1)!.AsObject()));
    }
}
