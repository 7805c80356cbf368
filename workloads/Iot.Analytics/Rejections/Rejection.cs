namespace Iot.Analytics.Rejections;

/// <summary>A telemetry message ingest refused: when, why, which field (when one field was at fault) and the payload as received (possibly truncated by ingest).</summary>
public sealed record Rejection(DateTimeOffset At, string Reason, string? Field, string Detail, string Payload);
