using Iot.Rules.Telemetry;

namespace Iot.Ingest.Telemetry;

/// <summary>One telemetry message that passed validation: its time and typed fields, as the store and the rule engine take them.</summary>
/// <param name="Timestamp">The message's <c>ts</c> or <c>timestamp</c>, else its receive time.</param>
/// <param name="Fields">The fields, in message order.</param>
internal sealed record ValidatedTelemetry(DateTimeOffset Timestamp, FieldValue[] Fields);
