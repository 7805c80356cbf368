using System.Collections.Concurrent;

namespace Iot.Api.Tests.Schema;

public sealed class ConcurrencyTests
{
    [Fact]
    public void One_schema_can_apply_to_many_objects_in_parallel()
    {
        var failures = new ConcurrentBag<string>();

        Parallel.For(0, 500, i =>
        {
            var valid = i % 2 == 0;
            var device = DeviceSchema.Device($$"""
                {
                  "model": "{{(valid ? "sensor-" + i : "Sensor_" + i)}}",
                  "unknown{{i}}": true,
                  "telemetry": [{ "name": "t", "type": "temperature" }, { "name": "h", "type": "humidity" }]
                }
                """);

            var result = DeviceSchema.Compiled.Apply(device);

            var telemetry = device["spec"]!["telemetry"]!.AsArray();
            telemetry[0]!["calibration"]!["offset"] = i; // must not leak into other objects through a shared default
            var expectedErrors = valid ? 0 : 1;
            if (result.Errors.Count != expectedErrors
                || result.UnknownFields.Single().Path != $"spec.unknown{i}"
                || (int)telemetry[1]!["calibration"]!["offset"]! != 0
                || (string?)device["spec"]!["firmware"]!["channel"] != "stable")
            {
                failures.Add($"object {i}: {string.Join("; ", result.Errors.Concat(result.UnknownFields))} {device.ToJsonString()}");
            }
        });

        Assert.Empty(failures);
    }
}
