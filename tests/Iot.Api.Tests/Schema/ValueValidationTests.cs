using System.Text.Json.Nodes;

using Iot.Api.Validation;

namespace Iot.Api.Tests.Schema;

public sealed class ValueValidationTests
{
    [Fact]
    public void A_missing_required_field_is_reported_with_its_path()
    {
        var device = DeviceSchema.Device("""{ "model": "m", "telemetry": [{ "type": "temperature" }] }""");

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.telemetry[0].name: Required value", error.ToString());
        Assert.Equal(FieldErrorKind.Required, error.Kind);
        Assert.Equal("FieldValueRequired", error.Reason);
    }

    [Fact]
    public void A_value_outside_the_enum_lists_the_supported_values()
    {
        var device = DeviceSchema.Device("""{ "model": "m", "telemetry": [{ "name": "w", "type": "wind" }] }""");

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.telemetry[0].type: Unsupported value: \"wind\": supported values: \"temperature\", \"humidity\", \"pressure\"", error.ToString());
        Assert.Equal(FieldErrorKind.NotSupported, error.Kind);
    }

    [Fact]
    public void Enum_members_are_compared_as_json()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "level": { "type": "number", "enum": [1, 2.5] }, "pair": { "type": "array", "items": { "type": "integer" }, "enum": [[1, 2]] } } }
            """);

        Assert.True(schema.Apply(JsonNode.Parse("""{ "level": 1.0, "pair": [1, 2] }""")!).IsValid);
        Assert.Equal(
            ["level: Unsupported value: 3: supported values: \"1\", \"2.5\"", "pair: Unsupported value: [2,1]: supported values: \"[1,2]\""],
            schema.Apply(JsonNode.Parse("""{ "level": 3, "pair": [2, 1] }""")!).Errors.Lines());
    }

    [Fact]
    public void A_pattern_mismatch_names_the_value_the_path_and_the_pattern()
    {
        var device = DeviceSchema.Device("""{ "model": "Sensor_1", "telemetry": [{ "name": "t", "type": "temperature" }] }""");

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.model: Invalid value: \"Sensor_1\": spec.model in body should match '^[a-z][a-z0-9-]*$'", error.ToString());
        Assert.Equal(FieldErrorKind.Invalid, error.Kind);
    }

    [Fact]
    public void Patterns_are_searched_not_anchored_unless_the_pattern_says_so()
    {
        var schema = DeviceSchema.Parse("""{ "type": "object", "properties": { "s": { "type": "string", "pattern": "[0-9]" } } }""");

        Assert.True(schema.Apply(JsonNode.Parse("""{ "s": "abc1def" }""")!).IsValid);
        Assert.False(schema.Apply(JsonNode.Parse("""{ "s": "abc" }""")!).IsValid);
    }

    [Fact]
    public void String_lengths_are_counted_in_characters()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "code": { "type": "string", "minLength": 2, "maxLength": 3 } } }
            """);

        Assert.True(schema.Apply(JsonNode.Parse("""{ "code": "😀😀😀" }""")!).IsValid);
        Assert.Equal(
            ["code: Invalid value: \"abcd\": code in body should be at most 3 chars long"],
            schema.Apply(JsonNode.Parse("""{ "code": "abcd" }""")!).Errors.Lines());
        Assert.Equal(
            ["code: Invalid value: \"a\": code in body should be at least 2 chars long"],
            schema.Apply(JsonNode.Parse("""{ "code": "a" }""")!).Errors.Lines());
    }

    [Theory]
    [InlineData("0", "spec.sampling.batchSize: Invalid value: 0: spec.sampling.batchSize in body should be greater than or equal to 1")]
    [InlineData("1001", "spec.sampling.batchSize: Invalid value: 1001: spec.sampling.batchSize in body should be less than or equal to 1000")]
    public void Numbers_outside_minimum_or_maximum_are_reported(string batchSize, string expected)
    {
        var device = DeviceSchema.MinimalDevice($$"""
            "sampling": { "batchSize": {{batchSize}} }
            """);

        Assert.Equal([expected], DeviceSchema.Compiled.Apply(device).Errors.Lines());
    }

    [Fact]
    public void Exclusive_bounds_exclude_the_bound_itself()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "ratio": { "type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1, "exclusiveMaximum": true } } }
            """);

        Assert.True(schema.Apply(JsonNode.Parse("""{ "ratio": 0.5 }""")!).IsValid);
        Assert.Equal(
            ["ratio: Invalid value: 0: ratio in body should be greater than 0"],
            schema.Apply(JsonNode.Parse("""{ "ratio": 0 }""")!).Errors.Lines());
        Assert.Equal(
            ["ratio: Invalid value: 1.0: ratio in body should be less than 1"],
            schema.Apply(JsonNode.Parse("""{ "ratio": 1.0 }""")!).Errors.Lines());
    }

    [Fact]
    public void MultipleOf_is_checked_exactly_for_decimals()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "step": { "type": "number", "multipleOf": 0.1 } } }
            """);

        Assert.True(schema.Apply(JsonNode.Parse("""{ "step": 0.3 }""")!).IsValid);
        Assert.Equal(
            ["step: Invalid value: 0.35: step in body should be a multiple of 0.1"],
            schema.Apply(JsonNode.Parse("""{ "step": 0.35 }""")!).Errors.Lines());
    }

    [Fact]
    public void List_lengths_are_checked()
    {
        var empty = DeviceSchema.Device("""{ "model": "m", "telemetry": [] }""");
        var tooMany = DeviceSchema.Device($$"""
            { "model": "m", "telemetry": [{{string.Join(", ", Enumerable.Range(0, 17).Select(i => $$"""{ "name": "t{{i}}", "type": "pressure" }"""))}}] }
            """);

        Assert.Equal(
            ["spec.telemetry: Invalid value: 0: spec.telemetry in body should have at least 1 items"],
            DeviceSchema.Compiled.Apply(empty).Errors.Lines());
        Assert.Equal(
            ["spec.telemetry: Too many: 17: must have at most 16 items"],
            DeviceSchema.Compiled.Apply(tooMany).Errors.Lines());
    }

    [Fact]
    public void A_map_list_rejects_items_with_the_same_keys()
    {
        var device = DeviceSchema.Device("""
            { "model": "m", "telemetry": [{ "name": "t", "type": "temperature" }, { "name": "t", "type": "humidity" }] }
            """);

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.telemetry[1]: Duplicate value: {\"name\":\"t\"}", error.ToString());
        Assert.Equal(FieldErrorKind.Duplicate, error.Kind);
    }

    [Fact]
    public void A_set_list_rejects_repeated_items()
    {
        var device = DeviceSchema.MinimalDevice("""
            "tags": ["indoor", "floor-1", "indoor"]
            """);

        Assert.Equal(["spec.tags[2]: Duplicate value: \"indoor\""], DeviceSchema.Compiled.Apply(device).Errors.Lines());
    }

    [Fact]
    public void UniqueItems_compares_items_as_json()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "points": { "type": "array", "uniqueItems": true, "items": { "type": "object", "properties": { "x": { "type": "number" } } } } } }
            """);

        Assert.Equal(
            ["points[2]: Duplicate value: {\"x\":1.0}"],
            schema.Apply(JsonNode.Parse("""{ "points": [{ "x": 1 }, { "x": 2 }, { "x": 1.0 }] }""")!).Errors.Lines());
    }

    [Fact]
    public void Property_counts_are_checked()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "labels": { "type": "object", "minProperties": 1, "maxProperties": 2, "additionalProperties": { "type": "string" } } } }
            """);

        Assert.Equal(
            ["labels: Invalid value: 0: labels in body should have at least 1 properties"],
            schema.Apply(JsonNode.Parse("""{ "labels": {} }""")!).Errors.Lines());
        Assert.Equal(
            ["labels: Too many: 3: must have at most 2 properties"],
            schema.Apply(JsonNode.Parse("""{ "labels": { "a": "1", "b": "2", "c": "3" } }""")!).Errors.Lines());
    }

    [Fact]
    public void Map_values_are_validated_against_the_additional_properties_schema()
    {
        var device = DeviceSchema.MinimalDevice($$"""
            "attributes": { "zone": 5, "note": "{{new string('x', 65)}}" }
            """);

        var errors = DeviceSchema.Compiled.Apply(device).Errors;

        Assert.Equal(["spec.attributes.zone", "spec.attributes.note"], errors.Select(e => e.Path));
        Assert.EndsWith("should be at most 64 chars long", errors[1].Message);
    }

    [Theory]
    [InlineData("2024-01-31T12:00:00Z")]
    [InlineData("2024-01-31T12:00:00.123456+01:00")]
    [InlineData("2024-02-29t23:59:60z")]
    public void Date_time_accepts_rfc3339_timestamps(string timestamp)
    {
        var device = DeviceSchema.MinimalDevice($$"""
            "installedAt": "{{timestamp}}"
            """);

        Assert.True(DeviceSchema.Compiled.Apply(device).IsValid);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2024-01-31")]
    [InlineData("2024-01-31 12:00:00Z")]
    [InlineData("2023-02-29T12:00:00Z")]
    [InlineData("2024-01-31T12:00:00")]
    public void Date_time_rejects_anything_else(string timestamp)
    {
        var device = DeviceSchema.MinimalDevice($$"""
            "installedAt": "{{timestamp}}"
            """);

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal($"Invalid value: \"{timestamp}\": spec.installedAt in body must be of type date-time (RFC 3339, e.g. 2024-01-31T12:00:00Z)", error.Message);
    }

    [Fact]
    public void Int32_and_int64_formats_check_the_range()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "small": { "type": "integer", "format": "int32" }, "big": { "type": "integer", "format": "int64" } } }
            """);

        Assert.True(schema.Apply(JsonNode.Parse("""{ "small": 2147483647, "big": 9223372036854775807 }""")!).IsValid);
        Assert.Equal(
            [
                "small: Invalid value: 2147483648: small in body must fit in int32 (-2147483648 to 2147483647)",
                "big: Invalid value: 9223372036854775808: big in body must fit in int64 (-9223372036854775808 to 9223372036854775807)",
            ],
            schema.Apply(JsonNode.Parse("""{ "small": 2147483648, "big": 9223372036854775808 }""")!).Errors.Lines());
    }

    [Fact]
    public void Unknown_formats_are_not_checked()
    {
        var schema = DeviceSchema.Parse("""{ "type": "object", "properties": { "host": { "type": "string", "format": "hostname" } } }""");

        Assert.True(schema.Apply(JsonNode.Parse("""{ "host": "not a hostname!" }""")!).IsValid);
    }
}
