using System.Text.Json.Nodes;

namespace Iot.Api.Tests.Schema;

public sealed class JunctorTests
{
    private static readonly Iot.Api.Schema.StructuralSchema Endpoint = DeviceSchema.Parse("""
        {
          "type": "object",
          "properties": {
            "endpoint": {
              "type": "object",
              "properties": {
                "host": { "type": "string" },
                "ip": { "type": "string" },
                "port": { "type": "integer", "allOf": [{ "minimum": 1 }, { "maximum": 65535 }] },
                "path": { "type": "string", "anyOf": [{ "pattern": "^/" }, { "enum": [""] }] },
                "user": { "type": "string", "not": { "enum": ["root"] } }
              },
              "oneOf": [{ "required": ["host"] }, { "required": ["ip"] }]
            }
          }
        }
        """);

    [Fact]
    public void OneOf_requires_exactly_one_alternative_to_match()
    {
        Assert.True(Endpoint.Apply(JsonNode.Parse("""{ "endpoint": { "host": "a" } }""")!).IsValid);
        Assert.Equal(
            ["endpoint: Invalid value: {}: endpoint in body must validate one and only one schema (oneOf)"],
            Endpoint.Apply(JsonNode.Parse("""{ "endpoint": {} }""")!).Errors.Lines());
        Assert.Equal(
            ["endpoint: Invalid value: {\"host\":\"a\",\"ip\":\"b\"}: endpoint in body must validate one and only one schema (oneOf), but validates 2"],
            Endpoint.Apply(JsonNode.Parse("""{ "endpoint": { "host": "a", "ip": "b" } }""")!).Errors.Lines());
    }

    [Fact]
    public void AllOf_reports_each_failing_member_as_its_own_error()
    {
        Assert.Equal(
            ["endpoint.port: Invalid value: 70000: endpoint.port in body should be less than or equal to 65535"],
            Endpoint.Apply(JsonNode.Parse("""{ "endpoint": { "host": "a", "port": 70000 } }""")!).Errors.Lines());
    }

    [Fact]
    public void AnyOf_requires_at_least_one_alternative_to_match()
    {
        Assert.True(Endpoint.Apply(JsonNode.Parse("""{ "endpoint": { "host": "a", "path": "/x" } }""")!).IsValid);
        Assert.True(Endpoint.Apply(JsonNode.Parse("""{ "endpoint": { "host": "a", "path": "" } }""")!).IsValid);
        Assert.Equal(
            ["endpoint.path: Invalid value: \"x\": endpoint.path in body must validate at least one schema (anyOf)"],
            Endpoint.Apply(JsonNode.Parse("""{ "endpoint": { "host": "a", "path": "x" } }""")!).Errors.Lines());
    }

    [Fact]
    public void Not_rejects_values_matching_its_schema()
    {
        Assert.Equal(
            ["endpoint.user: Invalid value: \"root\": endpoint.user in body must not validate the schema (not)"],
            Endpoint.Apply(JsonNode.Parse("""{ "endpoint": { "host": "a", "user": "root" } }""")!).Errors.Lines());
    }

    [Fact]
    public void Junctors_are_checked_after_pruning_and_defaulting()
    {
        var schema = DeviceSchema.Parse("""
            {
              "type": "object",
              "properties": { "mode": { "type": "string", "default": "auto" } },
              "not": { "required": ["legacy"] },
              "anyOf": [{ "required": ["mode"] }]
            }
            """);
        var value = JsonNode.Parse("""{ "legacy": true }""")!;

        var result = schema.Apply(value);

        Assert.True(result.IsValid);
        Assert.Equal(["legacy"], result.UnknownFields.Select(f => f.Path));
    }
}
