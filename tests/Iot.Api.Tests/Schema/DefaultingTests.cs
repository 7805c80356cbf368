using System.Text.Json.Nodes;

namespace Iot.Api.Tests.Schema;

public sealed class DefaultingTests
{
    [Fact]
    public void Absent_property_gets_its_default()
    {
        var device = DeviceSchema.MinimalDevice("""
            "sampling": { "batchSize": 10 }
            """);

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        Assert.Equal("30s", (string?)device["spec"]!["sampling"]!["interval"]);
    }

    [Fact]
    public void Present_value_is_not_replaced_by_the_default()
    {
        var device = DeviceSchema.MinimalDevice("""
            "sampling": { "interval": "5m" }, "firmware": { "channel": "beta", "autoUpdate": false }
            """);

        DeviceSchema.Compiled.Apply(device);

        Assert.Equal("5m", (string?)device["spec"]!["sampling"]!["interval"]);
        Assert.Equal("""{"channel":"beta","autoUpdate":false}""", device["spec"]!["firmware"]!.ToJsonString());
    }

    [Fact]
    public void A_defaulted_object_gets_its_own_nested_defaults()
    {
        var device = DeviceSchema.MinimalDevice();

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        Assert.Equal("""{"channel":"stable","autoUpdate":true}""", device["spec"]!["firmware"]!.ToJsonString());
    }

    [Fact]
    public void Default_is_applied_to_the_absent_field_inside_each_list_item()
    {
        var device = DeviceSchema.Device("""
            {
              "model": "sensor-1",
              "telemetry": [
                { "name": "t", "type": "temperature" },
                { "name": "h", "type": "humidity", "unit": "percent", "scale": 0.5 },
                { "name": "p", "type": "pressure" }
              ]
            }
            """);

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        var telemetry = device["spec"]!["telemetry"]!.AsArray();
        Assert.Equal(["si", "percent", "si"], telemetry.Select(item => (string?)item!["unit"]));
        Assert.Equal([1.0, 0.5, 1.0], telemetry.Select(item => (double)item!["scale"]!));
        Assert.All(telemetry, item => Assert.Equal("""{"offset":0}""", item!["calibration"]!.ToJsonString()));
    }

    [Fact]
    public void Defaults_are_deep_copies_never_shared_between_objects_or_list_items()
    {
        var first = DeviceSchema.Device("""{ "model": "a", "telemetry": [{ "name": "t", "type": "temperature" }, { "name": "h", "type": "humidity" }] }""");
        var second = DeviceSchema.MinimalDevice();

        DeviceSchema.Compiled.Apply(first);
        DeviceSchema.Compiled.Apply(second);
        first["spec"]!["telemetry"]![0]!["calibration"]!["offset"] = 42;
        first["spec"]!["firmware"]!["channel"] = "beta";

        Assert.Equal(0, (int)first["spec"]!["telemetry"]![1]!["calibration"]!["offset"]!);
        Assert.Equal(0, (int)second["spec"]!["telemetry"]![0]!["calibration"]!["offset"]!);
        Assert.Equal("stable", (string?)second["spec"]!["firmware"]!["channel"]);

        var third = DeviceSchema.MinimalDevice();
        DeviceSchema.Compiled.Apply(third);
        Assert.Equal("""{"offset":0}""", third["spec"]!["telemetry"]![0]!["calibration"]!.ToJsonString());
    }

    [Fact]
    public void Null_in_a_non_nullable_field_with_a_default_is_replaced_by_the_default()
    {
        var device = DeviceSchema.MinimalDevice("""
            "sampling": { "interval": null }, "firmware": null
            """);

        var result = DeviceSchema.Compiled.Apply(device);

        Assert.True(result.IsValid);
        Assert.Equal("30s", (string?)device["spec"]!["sampling"]!["interval"]);
        Assert.Equal("""{"channel":"stable","autoUpdate":true}""", device["spec"]!["firmware"]!.ToJsonString());
    }

    [Fact]
    public void Null_in_a_nullable_field_with_a_default_is_kept()
    {
        var explicitNull = DeviceSchema.MinimalDevice("""
            "retention": null
            """);
        var absent = DeviceSchema.MinimalDevice();

        var result = DeviceSchema.Compiled.Apply(explicitNull);
        DeviceSchema.Compiled.Apply(absent);

        Assert.True(result.IsValid);
        Assert.True(explicitNull["spec"]!.AsObject().TryGetPropertyValue("retention", out var retention));
        Assert.Null(retention);
        Assert.Equal("7d", (string?)absent["spec"]!["retention"]);
    }

    [Fact]
    public void Null_list_items_and_map_values_are_replaced_by_the_items_default()
    {
        var schema = DeviceSchema.Parse("""
            {
              "type": "object",
              "properties": {
                "hosts": { "type": "array", "items": { "type": "string", "default": "localhost" } },
                "limits": { "type": "object", "additionalProperties": { "type": "integer", "default": 10 } }
              }
            }
            """);
        var value = JsonNode.Parse("""{ "hosts": [null, "a"], "limits": { "cpu": null, "memory": 5 } }""")!;

        var result = schema.Apply(value);

        Assert.True(result.IsValid);
        Assert.Equal("""{"hosts":["localhost","a"],"limits":{"cpu":10,"memory":5}}""", value.ToJsonString());
    }

    [Fact]
    public void Defaults_are_applied_before_validation_so_a_defaulted_required_field_is_present()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "required": ["mode"], "properties": { "mode": { "type": "string", "default": "auto" } } }
            """);
        var value = new JsonObject();

        var result = schema.Apply(value);

        Assert.True(result.IsValid);
        Assert.Equal("auto", (string?)value["mode"]);
    }

    [Fact]
    public void A_default_of_null_means_no_default()
    {
        var schema = DeviceSchema.Parse("""
            { "type": "object", "properties": { "mode": { "type": "string", "default": null } } }
            """);
        var value = new JsonObject();

        var result = schema.Apply(value);

        Assert.True(result.IsValid);
        Assert.False(value.ContainsKey("mode"));
    }
}
