using System.Text.Json.Nodes;

using Iot.Api.Validation;

namespace Iot.Api.Tests.Schema;

public sealed class ResourceRootTests
{
    [Fact]
    public void Metadata_must_be_an_object()
    {
        var device = DeviceSchema.MinimalDevice();
        device["metadata"] = "d1";

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("metadata: Invalid value: \"d1\": metadata in body must be of type object: \"string\"", error.ToString());
        Assert.Equal(FieldErrorKind.TypeInvalid, error.Kind);
    }

    [Fact]
    public void Metadata_name_restrictions_declared_by_the_schema_are_checked()
    {
        var schema = DeviceSchema.Parse("""
            {
              "type": "object",
              "properties": {
                "metadata": { "type": "object", "properties": { "name": { "type": "string", "maxLength": 5 } } }
              }
            }
            """);

        Assert.True(schema.Apply(JsonNode.Parse("""{ "metadata": { "name": "short", "labels": { "a": "b" } } }""")!).IsValid);
        Assert.Equal(
            ["metadata.name"],
            schema.Apply(JsonNode.Parse("""{ "metadata": { "name": "much-too-long" } }""")!).Errors.Select(e => e.Path));
    }

    [Fact]
    public void ApiVersion_and_kind_are_validated_when_the_schema_declares_them()
    {
        var device = DeviceSchema.MinimalDevice();
        device["kind"] = 7;

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("kind", error.Path);
    }

    [Fact]
    public void An_embedded_resource_keeps_its_apiVersion_kind_and_metadata()
    {
        var schema = DeviceSchema.Parse("""
            {
              "type": "object",
              "properties": {
                "template": {
                  "type": "object",
                  "x-kubernetes-embedded-resource": true,
                  "properties": { "spec": { "type": "object", "properties": { "replicas": { "type": "integer" } } } }
                }
              }
            }
            """);
        var value = JsonNode.Parse("""
            { "template": { "apiVersion": "v1", "kind": "ConfigMap", "metadata": { "name": "x", "labels": { "a": "b" } }, "spec": { "replicas": 1, "extra": 1 } } }
            """)!;

        var result = schema.Apply(value);

        Assert.True(result.IsValid);
        Assert.Equal(["template.spec.extra"], result.UnknownFields.Select(f => f.Path));
        Assert.Equal("""{"name":"x","labels":{"a":"b"}}""", value["template"]!["metadata"]!.ToJsonString());
        Assert.Equal("ConfigMap", (string?)value["template"]!["kind"]);
    }
}
