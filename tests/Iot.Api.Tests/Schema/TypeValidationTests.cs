using System.Text.Json.Nodes;

using Iot.Api.Validation;

namespace Iot.Api.Tests.Schema;

public sealed class TypeValidationTests
{
    [Fact]
    public void A_string_in_an_integer_field_is_a_type_error_naming_the_value_its_type_and_the_path()
    {
        var device = DeviceSchema.MinimalDevice("""
            "sampling": { "batchSize": "ten" }
            """);

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.sampling.batchSize", error.Path);
        Assert.Equal("Invalid value: \"ten\": spec.sampling.batchSize in body must be of type integer: \"string\"", error.Message);
        Assert.Equal(FieldErrorKind.TypeInvalid, error.Kind);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("10.0")]
    [InlineData("1e2")]
    public void An_integer_field_accepts_numbers_without_a_fractional_part(string batchSize)
    {
        var device = DeviceSchema.MinimalDevice($$"""
            "sampling": { "batchSize": {{batchSize}} }
            """);

        Assert.True(DeviceSchema.Compiled.Apply(device).IsValid);
    }

    [Fact]
    public void An_integer_field_rejects_a_fraction()
    {
        var device = DeviceSchema.MinimalDevice("""
            "sampling": { "batchSize": 2.5 }
            """);

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.sampling.batchSize: Invalid value: 2.5: spec.sampling.batchSize in body must be of type integer: \"number\"", error.ToString());
    }

    [Fact]
    public void A_number_field_accepts_integers_and_fractions()
    {
        var device = DeviceSchema.Device("""
            { "model": "m", "telemetry": [{ "name": "a", "type": "humidity", "scale": 2 }, { "name": "b", "type": "humidity", "scale": 0.25 }] }
            """);

        Assert.True(DeviceSchema.Compiled.Apply(device).IsValid);
    }

    [Fact]
    public void Null_in_a_non_nullable_field_without_a_default_is_a_type_error()
    {
        var device = DeviceSchema.Device("""{ "model": null, "telemetry": [{ "name": "t", "type": "temperature" }] }""");

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.model: Invalid value: null: spec.model in body must be of type string: \"null\"", error.ToString());
    }

    [Fact]
    public void Null_in_a_nullable_field_is_accepted()
    {
        var device = DeviceSchema.Device("""{ "model": "m", "telemetry": [{ "name": "t", "type": "temperature", "threshold": null }] }""");

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        Assert.Null(device["spec"]!["telemetry"]![0]!["threshold"]);
    }

    [Theory]
    [InlineData("8080")]
    [InlineData("\"http\"")]
    public void Int_or_string_accepts_integers_and_strings(string port)
    {
        var device = DeviceSchema.MinimalDevice($$"""
            "port": {{port}}
            """);

        Assert.True(DeviceSchema.Compiled.Apply(device).IsValid);
    }

    [Theory]
    [InlineData("80.5", "number")]
    [InlineData("true", "boolean")]
    [InlineData("{}", "object")]
    public void Int_or_string_rejects_anything_else(string port, string actualType)
    {
        var device = DeviceSchema.MinimalDevice($$"""
            "port": {{port}}
            """);

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal($"Invalid value: {port}: spec.port in body must be of type integer or string: \"{actualType}\"", error.Message);
    }

    [Fact]
    public void A_boolean_field_rejects_a_string()
    {
        var device = DeviceSchema.MinimalDevice("""
            "firmware": { "autoUpdate": "yes" }
            """);

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.firmware.autoUpdate: Invalid value: \"yes\": spec.firmware.autoUpdate in body must be of type boolean: \"string\"", error.ToString());
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_not_looked_into()
    {
        var device = DeviceSchema.MinimalDevice("""
            "sampling": [{ "batchSize": "x" }]
            """);

        var result = DeviceSchema.Compiled.Apply(device);

        var error = Assert.Single(result.Errors);
        Assert.Equal("spec.sampling: Invalid value: [{\"batchSize\":\"x\"}]: spec.sampling in body must be of type object: \"array\"", error.ToString());
        Assert.Empty(result.UnknownFields);
    }

    [Fact]
    public void A_root_that_is_not_an_object_is_reported_at_the_root_path()
    {
        var error = Assert.Single(DeviceSchema.Compiled.Apply(JsonValue.Create("device")).Errors);

        Assert.Equal("", error.Path);
        Assert.Equal("Invalid value: \"device\": body must be of type object: \"string\"", error.Message);
    }

    [Fact]
    public void Values_built_in_code_are_typed_like_parsed_ones()
    {
        var device = DeviceSchema.MinimalDevice();
        device["spec"]!["sampling"] = new JsonObject { ["batchSize"] = 5, ["interval"] = "1m" };
        device["spec"]!["port"] = 1.5;

        var error = Assert.Single(DeviceSchema.Compiled.Apply(device).Errors);

        Assert.Equal("spec.port", error.Path);
    }
}
