namespace Iot.Analytics.Rejections;

/// <summary>Where the latest rejected telemetry of each device comes from (ingest validates and rejects; analytics shows).</summary>
public interface IRejectionSource
{
    /// <summary>The latest rejections of <paramref name="device"/>, newest first; empty when there are none.</summary>
    ValueTask<IReadOnlyList<Rejection>> LatestAsync(string device, CancellationToken cancellationToken = default);
}
