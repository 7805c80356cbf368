using System.Text.Json.Nodes;

using Iot.Api.Schema;
using Iot.Api.Validation;

namespace Iot.Api.Tests.Schema;

public sealed class StructuralErrorsTests
{
    private static IReadOnlyList<FieldError> Find(string schemaJson) => StructuralSchema.FindStructuralErrors(JsonNode.Parse(schemaJson)!);

    [Fact]
    public void A_realistic_crd_schema_is_structural()
    {
        Assert.Empty(Find(DeviceSchema.Json));
    }

    [Fact]
    public void Nodes_without_a_type_are_reported_with_their_schema_paths()
    {
        var errors = Find("""
            {
              "properties": {
                "spec": {
                  "type": "object",
                  "properties": {
                    "foo": { "description": "no type" },
                    "list": { "type": "array", "items": { "properties": { "a": { "type": "string" } } } },
                    "map": { "type": "object", "additionalProperties": { "maxLength": 3 } }
                  }
                }
              }
            }
            """);

        Assert.Equal(
            [
                "openAPIV3Schema.properties.spec.properties.foo.type: Required value: must not be empty for specified object fields",
                "openAPIV3Schema.properties.spec.properties.list.items.type: Required value: must not be empty for specified array items",
                "openAPIV3Schema.properties.spec.properties.map.additionalProperties.type: Required value: must not be empty for specified object fields",
                "openAPIV3Schema.type: Required value: must not be empty at the root",
            ],
            errors.Lines());
        Assert.All(errors, e => Assert.Equal(FieldErrorKind.Required, e.Kind));
    }

    [Fact]
    public void Int_or_string_and_preserve_unknown_fields_nodes_need_no_type()
    {
        Assert.Empty(Find("""
            {
              "type": "object",
              "properties": {
                "port": { "x-kubernetes-int-or-string": true },
                "anything": { "x-kubernetes-preserve-unknown-fields": true }
              }
            }
            """));
    }

    [Fact]
    public void Shape_errors_are_reported()
    {
        var errors = Find("""
            {
              "type": "object",
              "properties": {
                "list": { "type": "array" },
                "both": { "type": "object", "properties": { "a": { "type": "string" } }, "additionalProperties": { "type": "string" } },
                "closed": { "type": "object", "additionalProperties": false },
                "tuple": { "type": "array", "items": [{ "type": "string" }] },
                "kept": { "type": "object", "x-kubernetes-preserve-unknown-fields": false },
                "odd": { "type": "text" },
                "ref": { "$ref": "#/definitions/x" }
              }
            }
            """);

        Assert.Equal(
            [
                "openAPIV3Schema.properties.list.items: Required value: must be specified",
                "openAPIV3Schema.properties.both.additionalProperties: Forbidden: additionalProperties and properties are mutually exclusive",
                "openAPIV3Schema.properties.closed.additionalProperties: Forbidden: additionalProperties cannot be set to false; unknown fields are pruned anyway",
                "openAPIV3Schema.properties.tuple.items: Forbidden: items must be a schema object and not an array",
                "openAPIV3Schema.properties.kept.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined",
                "openAPIV3Schema.properties.odd.type: Unsupported value: \"text\": supported values: \"array\", \"boolean\", \"integer\", \"number\", \"object\", \"string\"",
                "openAPIV3Schema.properties.ref.$ref: Forbidden: $ref is not supported",
                "openAPIV3Schema.properties.ref.type: Required value: must not be empty for specified object fields",
            ],
            errors.Lines());
    }

    [Fact]
    public void Junctors_may_only_validate_values()
    {
        var errors = Find("""
            {
              "type": "object",
              "properties": {
                "a": { "type": "string" },
                "port": { "x-kubernetes-int-or-string": true, "anyOf": [{ "type": "integer" }, { "type": "string" }] },
                "mode": { "type": "string", "oneOf": [{ "type": "string", "default": "x" }, { "description": "d", "nullable": true }] }
              },
              "anyOf": [{ "properties": { "a": { "maxLength": 2 }, "b": { "maxLength": 2 } } }]
            }
            """);

        Assert.Equal(
            [
                "openAPIV3Schema.properties.mode.oneOf[0].type: Forbidden: must be empty to be structural",
                "openAPIV3Schema.properties.mode.oneOf[0].default: Forbidden: must be undefined to be structural",
                "openAPIV3Schema.properties.mode.oneOf[1].description: Forbidden: must be empty to be structural",
                "openAPIV3Schema.properties.mode.oneOf[1].nullable: Forbidden: must be false to be structural",
                "openAPIV3Schema.properties.b: Required value: because it is defined in openAPIV3Schema.anyOf[0].properties.b",
            ],
            errors.Lines());
    }

    [Fact]
    public void Invalid_patterns_are_reported_including_those_the_api_server_cannot_run()
    {
        var errors = Find("""
            {
              "type": "object",
              "properties": {
                "broken": { "type": "string", "pattern": "([a-z]" },
                "lookahead": { "type": "string", "pattern": "^(?!kube-).*$" }
              }
            }
            """);

        Assert.Equal(
            ["openAPIV3Schema.properties.broken.pattern", "openAPIV3Schema.properties.lookahead.pattern"],
            errors.Select(e => e.Path));
        Assert.All(errors, e => Assert.Contains("must be a valid regular expression", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Defaults_must_satisfy_their_own_schema()
    {
        var errors = Find("""
            {
              "type": "object",
              "properties": {
                "interval": { "type": "integer", "default": "5s" },
                "sampling": { "type": "object", "default": { "rate": 1, "bogus": true }, "properties": { "rate": { "type": "integer", "minimum": 2 } } }
              }
            }
            """);

        Assert.Equal(
            [
                "openAPIV3Schema.properties.interval.default: Invalid value: \"5s\": default in body must be of type integer: \"string\"",
                "openAPIV3Schema.properties.sampling.default.bogus: unknown field \"bogus\"",
                "openAPIV3Schema.properties.sampling.default.rate: Invalid value: 1: default.rate in body should be greater than or equal to 2",
            ],
            errors.Lines());
    }

    [Fact]
    public void Root_metadata_may_only_restrict_name_and_generateName()
    {
        var errors = Find("""
            {
              "type": "object",
              "properties": {
                "kind": { "type": "integer" },
                "metadata": { "type": "object", "required": ["labels"], "properties": { "labels": { "type": "object" } } }
              }
            }
            """);

        Assert.Equal(
            [
                "openAPIV3Schema.properties.kind.type: Invalid value: \"integer\": must be string",
                "openAPIV3Schema.properties.metadata: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
            ],
            errors.Lines());
    }

    [Fact]
    public void Additional_properties_are_not_allowed_at_the_root()
    {
        Assert.Equal(
            ["openAPIV3Schema.additionalProperties: Forbidden: must not be used at the root"],
            Find("""{ "type": "object", "additionalProperties": { "type": "string" } }""").Lines());
    }

    [Fact]
    public void Parse_throws_for_a_schema_that_is_not_structural_naming_the_schema_path()
    {
        var exception = Assert.Throws<ArgumentException>(() => DeviceSchema.Parse("""
            { "type": "object", "properties": { "spec": { "properties": { "x": { "type": "string" } } } } }
            """));

        Assert.Contains("openAPIV3Schema.properties.spec.type: Required value", exception.Message, StringComparison.Ordinal);
    }
}
