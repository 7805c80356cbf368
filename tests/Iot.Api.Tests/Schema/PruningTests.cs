using System.Text.Json.Nodes;

using Iot.Api.Validation;

namespace Iot.Api.Tests.Schema;

public sealed class PruningTests
{
    [Fact]
    public void Unknown_nested_fields_are_pruned_and_reported_with_their_paths_in_document_order()
    {
        var device = DeviceSchema.Device("""
            {
              "model": "sensor-1",
              "colour": "red",
              "sampling": { "interval": "10s", "jitter": 5 },
              "telemetry": [{ "name": "t", "type": "temperature", "extra": { "deep": [1, 2] } }]
            }
            """);

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        Assert.Equal(
            ["spec.colour: unknown field \"colour\"", "spec.sampling.jitter: unknown field \"jitter\"", "spec.telemetry[0].extra: unknown field \"extra\""],
            result.UnknownFields.Lines());
        Assert.All(result.UnknownFields, f => Assert.Equal(FieldErrorKind.Unknown, f.Kind));
        Assert.False(device["spec"]!.AsObject().ContainsKey("colour"));
        Assert.False(device["spec"]!["sampling"]!.AsObject().ContainsKey("jitter"));
        Assert.False(device["spec"]!["telemetry"]![0]!.AsObject().ContainsKey("extra"));
    }

    [Fact]
    public void Unknown_fields_are_not_validated_and_do_not_count_as_errors()
    {
        var device = DeviceSchema.MinimalDevice("""
            "bogus": null, "model2": 5
            """);

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.Empty(result.Errors);
        Assert.Equal(["spec.bogus", "spec.model2"], result.UnknownFields.Select(f => f.Path));
    }

    [Fact]
    public void ApiVersion_kind_and_metadata_are_always_allowed_at_the_root_and_metadata_is_never_pruned()
    {
        var schema = DeviceSchema.Parse("""{ "type": "object", "properties": { "spec": { "type": "object" } } }""");
        var device = JsonNode.Parse("""
            {
              "apiVersion": "iot.example.com/v1",
              "kind": "Device",
              "metadata": { "name": "d1", "labels": { "app.kubernetes.io/name": "x" }, "managedFields": [{ "manager": "kubectl" }] },
              "spec": {},
              "extra": true
            }
            """)!;
        var metadataBefore = device["metadata"]!.ToJsonString();

        var result = schema.Apply(device);

        Assert.Empty(result.Errors);
        Assert.Equal(["extra"], result.UnknownFields.Select(f => f.Path));
        Assert.Equal("iot.example.com/v1", (string?)device["apiVersion"]);
        Assert.Equal("Device", (string?)device["kind"]);
        Assert.Equal(metadataBefore, device["metadata"]!.ToJsonString());
    }

    [Fact]
    public void Preserve_unknown_fields_keeps_an_arbitrary_payload_untouched()
    {
        var device = DeviceSchema.MinimalDevice("""
            "payload": { "vendor": { "readings": [1, { "raw": "0x1f" }], "enabled": true } }
            """);
        var payloadBefore = device["spec"]!["payload"]!.ToJsonString();

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        Assert.Empty(result.UnknownFields);
        Assert.Equal(payloadBefore, device["spec"]!["payload"]!.ToJsonString());
    }

    [Fact]
    public void Preserve_unknown_fields_with_properties_keeps_unknown_members_and_still_defaults_and_validates_known_ones()
    {
        var kept = DeviceSchema.MinimalDevice("""
            "config": { "mode": "fast" }
            """);
        var invalid = DeviceSchema.MinimalDevice("""
            "config": { "version": "two" }
            """);

        var keptResult = DeviceSchema.Compiled.Apply(kept);
        var invalidResult = DeviceSchema.Compiled.Apply(invalid);

        Assert.True(keptResult.IsValid);
        Assert.Empty(keptResult.UnknownFields);
        Assert.Equal("""{"mode":"fast","version":1}""", kept["spec"]!["config"]!.ToJsonString());
        Assert.Equal(["spec.config.version"], invalidResult.Errors.Select(e => e.Path));
    }

    [Fact]
    public void Map_entries_are_never_unknown_fields()
    {
        var device = DeviceSchema.MinimalDevice("""
            "attributes": { "zone": "north", "app.kubernetes.io/name": "meter" }
            """);

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        Assert.Empty(result.UnknownFields);
        Assert.Equal(2, device["spec"]!["attributes"]!.AsObject().Count);
    }

    [Fact]
    public void An_object_schema_without_properties_prunes_every_member()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "spec": { "type": "object", "properties": { "empty": { "type": "object" } } } } }
            """);
        var value = JsonNode.Parse("""{ "spec": { "empty": { "a": 1, "b": { "c": 2 } } } }""")!;

        var result = schema.Apply(value);

        Assert.Equal(["spec.empty.a", "spec.empty.b"], result.UnknownFields.Select(f => f.Path));
        Assert.Equal("""{"spec":{"empty":{}}}""", value.ToJsonString());
    }

    [Fact]
    public void Additional_properties_true_keeps_any_member_as_it_is()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "labels": { "type": "object", "additionalProperties": true } } }
            """);
        var value = JsonNode.Parse("""{ "labels": { "a": { "b": [1] } } }""")!;

        var result = schema.Apply(value);

        Assert.True(result.IsValid);
        Assert.Empty(result.UnknownFields);
        Assert.Equal("""{"labels":{"a":{"b":[1]}}}""", value.ToJsonString());
    }
}
