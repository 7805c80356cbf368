using System.Text.Json.Nodes;

using Iot.Api.Schema;
using Iot.Api.Validation;

namespace Iot.Api.Tests.Schema;

/// <summary>A CRD-like schema exercising the common shapes: nested objects, a keyed list of objects, a map, enums, patterns, defaults.</summary>
internal static class DeviceSchema
{
    public const string Json = """
        {
          "type": "object",
          "properties": {
            "apiVersion": { "type": "string" },
            "kind": { "type": "string" },
            "metadata": { "type": "object" },
            "spec": {
              "type": "object",
              "required": ["model", "telemetry"],
              "properties": {
                "model": { "type": "string", "pattern": "^[a-z][a-z0-9-]*$", "maxLength": 63 },
                "firmware": {
                  "type": "object",
                  "default": {},
                  "properties": {
                    "channel": { "type": "string", "enum": ["stable", "beta"], "default": "stable" },
                    "autoUpdate": { "type": "boolean", "default": true }
                  }
                },
                "sampling": {
                  "type": "object",
                  "properties": {
                    "interval": { "type": "string", "pattern": "^([0-9]+(ms|s|m|h))+$", "default": "30s" },
                    "batchSize": { "type": "integer", "minimum": 1, "maximum": 1000 }
                  }
                },
                "retention": { "type": "string", "nullable": true, "default": "7d" },
                "telemetry": {
                  "type": "array",
                  "minItems": 1,
                  "maxItems": 16,
                  "x-kubernetes-list-type": "map",
                  "x-kubernetes-list-map-keys": ["name"],
                  "items": {
                    "type": "object",
                    "required": ["name", "type"],
                    "properties": {
                      "name": { "type": "string" },
                      "type": { "type": "string", "enum": ["temperature", "humidity", "pressure"] },
                      "unit": { "type": "string", "default": "si" },
                      "scale": { "type": "number", "default": 1 },
                      "threshold": { "type": "number", "nullable": true },
                      "calibration": {
                        "type": "object",
                        "default": { "offset": 0 },
                        "properties": { "offset": { "type": "number" } }
                      }
                    }
                  }
                },
                "attributes": {
                  "type": "object",
                  "additionalProperties": { "type": "string", "maxLength": 64 }
                },
                "port": {
                  "x-kubernetes-int-or-string": true,
                  "anyOf": [{ "type": "integer" }, { "type": "string" }]
                },
                "payload": { "type": "object", "x-kubernetes-preserve-unknown-fields": true },
                "config": {
                  "type": "object",
                  "x-kubernetes-preserve-unknown-fields": true,
                  "properties": { "version": { "type": "integer", "default": 1 } }
                },
                "installedAt": { "type": "string", "format": "date-time" },
                "tags": { "type": "array", "x-kubernetes-list-type": "set", "items": { "type": "string" } }
              }
            },
            "status": {
              "type": "object",
              "properties": { "phase": { "type": "string" } }
            }
          }
        }
        """;

    public static readonly StructuralSchema Compiled = StructuralSchema.Parse(JsonNode.Parse(Json)!);

    /// <summary>A Device object with the given spec (JSON text).</summary>
    public static JsonObject Device(string specJson) =>
        JsonNode.Parse($$"""{ "apiVersion": "iot.example.com/v1", "kind": "Device", "metadata": { "name": "d1" }, "spec": {{specJson}} }""")!.AsObject();

    /// <summary>A Device whose spec is the minimal valid one plus <paramref name="extraSpecMembers"/> (JSON members, without braces).</summary>
    public static JsonObject MinimalDevice(string extraSpecMembers = "") =>
        Device($$"""{ "model": "sensor-1", "telemetry": [{ "name": "t", "type": "temperature" }]{{(extraSpecMembers.Length > 0 ? ", " + extraSpecMembers : "")}} }""");

    /// <summary>Parses a schema given as JSON text.</summary>
    public static StructuralSchema Parse(string schemaJson) => StructuralSchema.Parse(JsonNode.Parse(schemaJson)!);

    public static IEnumerable<string> Lines(this IEnumerable<FieldError> errors) => errors.Select(e => e.ToString());
}
