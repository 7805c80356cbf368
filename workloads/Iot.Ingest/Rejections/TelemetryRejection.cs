namespace Iot.Ingest.Rejections;

/// <summary>One refused telemetry message, as kept and published per device.</summary>
/// <param name="At">When it was received.</param>
/// <param name="Reason">Why: one of <see cref="Telemetry.RejectionReasons"/> (the first problem found).</param>
/// <param name="Field">The field at fault, when one was.</param>
/// <param name="Detail">Every problem found, for a person.</param>
/// <param name="Payload">The payload as received, at most 1 KiB of it.</param>
public sealed record TelemetryRejection(DateTimeOffset At, string Reason, string? Field, string Detail, string Payload);
