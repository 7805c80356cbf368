using System.Text.Json.Nodes;

namespace Iot.Api.Tests.Schema;

public sealed class ErrorReportingTests
{
    private const string ManyProblems = """
        {
          "model": "BAD",
          "sampling": { "batchSize": "x", "interval": "soon" },
          "telemetry": [{ "name": "a", "type": "wind" }, { "type": "humidity", "scale": "big" }],
          "attributes": { "app.kubernetes.io/name": 5 }
        }
        """;

    [Fact]
    public void All_errors_are_collected_in_document_order()
    {
        var result = DeviceSchema.Compiled.Apply(DeviceSchema.Device(ManyProblems));

        Assert.Equal(
            [
                "spec.model: Invalid value: \"BAD\": spec.model in body should match '^[a-z][a-z0-9-]*$'",
                "spec.sampling.batchSize: Invalid value: \"x\": spec.sampling.batchSize in body must be of type integer: \"string\"",
                "spec.sampling.interval: Invalid value: \"soon\": spec.sampling.interval in body should match '^([0-9]+(ms|s|m|h))+$'",
                "spec.telemetry[0].type: Unsupported value: \"wind\": supported values: \"temperature\", \"humidity\", \"pressure\"",
                "spec.telemetry[1].name: Required value",
                "spec.telemetry[1].scale: Invalid value: \"big\": spec.telemetry[1].scale in body must be of type number: \"string\"",
                "spec.attributes[app.kubernetes.io/name]: Invalid value: 5: spec.attributes[app.kubernetes.io/name] in body must be of type string: \"integer\"",
            ],
            result.Errors.Lines());
    }

    [Fact]
    public void Results_are_deterministic()
    {
        var first = DeviceSchema.Compiled.Apply(DeviceSchema.Device(ManyProblems));
        var second = DeviceSchema.Compiled.Apply(DeviceSchema.Device(ManyProblems));

        Assert.Equal(first.Errors, second.Errors);
        Assert.Equal(first.UnknownFields, second.UnknownFields);
    }

    [Fact]
    public void Map_keys_that_are_not_simple_names_are_written_in_brackets()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "ports": { "type": "object", "additionalProperties": { "type": "integer" } } } }
            """);

        var result = schema.Apply(JsonNode.Parse("""{ "ports": { "http-alt": "a", "my key": "b", "1": "c", "x.y": "d" } }""")!);

        Assert.Equal(["ports.http-alt", "ports[my key]", "ports.1", "ports[x.y]"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void The_root_path_prefixes_every_reported_path()
    {
        var device = DeviceSchema.Device("""{ "model": "m", "telemetry": [{ "name": "t", "type": "wind" }], "extra": 1 }""");

        var result = DeviceSchema.Compiled.Apply(device, "items[2]");

        Assert.Equal(["items[2].spec.telemetry[0].type"], result.Errors.Select(e => e.Path));
        Assert.Equal(["items[2].spec.extra"], result.UnknownFields.Select(e => e.Path));
    }

    [Fact]
    public void Long_values_are_shortened_in_messages()
    {
        var device = DeviceSchema.Device($$"""{ "model": "{{new string('X', 200)}}", "telemetry": [{ "name": "t", "type": "pressure" }] }""");

        var errors = DeviceSchema.Compiled.Apply(device).Errors;

        Assert.All(errors, e => Assert.True(e.Message.Length < 200, e.Message));
        Assert.Contains(errors, e => e.Message.StartsWith("Invalid value: \"XXXX", StringComparison.Ordinal) && e.Message.Contains("...\"", StringComparison.Ordinal));
    }

    [Fact]
    public void Unknown_fields_do_not_make_the_result_invalid()
    {
        var result = DeviceSchema.Compiled.Apply(DeviceSchema.MinimalDevice("\"surprise\": 1"));

        Assert.True(result.IsValid);
        Assert.Single(result.UnknownFields);
    }
}
