namespace Iot.Analytics.Alerts;

/// <summary>No alert source: zero active alerts, none fired. Used when live data is off (no MQTT).</summary>
public sealed class NoActiveAlertSource : IActiveAlertSource
{
    /// <inheritdoc/>
    public string Name => "none";

    /// <inheritdoc/>
    public ValueTask<int> CountActiveAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, int>> CountFiredByRoomAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int>());
}
