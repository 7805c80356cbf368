namespace Iot.Ingest.Rejections;

/// <summary>
/// The latest refused telemetry messages of each known device (at most <see cref="RejectionLog.PerDevice"/>), newest
/// first. Ingest also publishes them, retained, on <c>_iot/rejections/&lt;device&gt;</c> as
/// <c>{"device":…,"rejections":[{"at","reason","field","detail","payload"}]}</c> for analytics.
/// </summary>
public interface IRejectionLog
{
    /// <summary>The latest rejections of <paramref name="device"/>, newest first; empty when there are none.</summary>
    IReadOnlyList<TelemetryRejection> Latest(string device);
}
