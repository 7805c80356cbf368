using Iot.Api.Devices;

namespace Iot.Api.Expressions;

/// <summary>What an expression may refer to besides <c>device</c> and <c>room</c>: the telemetry fields of the devices a rule selects.</summary>
/// <param name="Fields">
/// Telemetry field names and their types. Null means the schema is unknown: any identifier is accepted as a field
/// of dynamic type, and type errors involving such fields are not reported (they surface when the rule is evaluated).
/// </param>
public sealed record ExpressionScope(IReadOnlyDictionary<string, TelemetryType>? Fields);
