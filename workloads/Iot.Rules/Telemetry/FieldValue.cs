namespace Iot.Rules.Telemetry;

/// <summary>One field of a telemetry message: its name in the Device's schema and its value.</summary>
/// <param name="Name">The field name, e.g. <c>temperature</c>.</param>
/// <param name="Value">The typed value.</param>
public readonly record struct FieldValue(string Name, TelemetryValue Value);
