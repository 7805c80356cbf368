namespace Iot.Storage.Events;

/// <summary>
/// One entry of the history: an alert transition (<c>alert.firing</c>, <c>alert.resolved</c>, <c>alert.acknowledged</c>,
/// <c>alert.rejected</c>), a delivery outcome (<c>notification.queued</c>, <c>notification.delivered</c>,
/// <c>notification.retrying</c>, <c>notification.failed</c>) or a silence change (<c>silence.created</c>, <c>silence.expired</c>).
/// </summary>
public sealed record EventRecord
{
    /// <summary>Assigned by the store, increasing.</summary>
    public long Id { get; init; }

    public required DateTimeOffset At { get; init; }

    public required string Type { get; init; }

    public string? Fingerprint { get; init; }

    public string? Rule { get; init; }

    public string? Device { get; init; }

    public string? Route { get; init; }

    public string? Receiver { get; init; }

    public string? NotificationId { get; init; }

    /// <summary>What happened, for people.</summary>
    public required string Message { get; init; }
}
