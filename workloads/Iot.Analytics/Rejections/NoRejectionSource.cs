namespace Iot.Analytics.Rejections;

/// <summary>No rejection source: every device has none. Used when live data is off (no MQTT).</summary>
public sealed class NoRejectionSource : IRejectionSource
{
    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Rejection>> LatestAsync(string device, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyList<Rejection>>([]);
}
