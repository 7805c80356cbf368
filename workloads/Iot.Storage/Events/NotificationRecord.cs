namespace Iot.Storage.Events;

/// <summary>
/// One notification for one receiver: a row of the outbox. It is written before the first attempt and updated after
/// each, so a notification still <see cref="NotificationStatus.Pending"/> after a restart is attempted again.
/// </summary>
public sealed record NotificationRecord
{
    public required string Id { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>The AlertRoute whose receiver this is (or empty for an ad-hoc message to a receiver given inline).</summary>
    public required string Route { get; init; }

    public required string Receiver { get; init; }

    /// <summary><c>webhook</c>, <c>slack</c>, <c>email</c> or <c>mqtt</c>.</summary>
    public required string ReceiverType { get; init; }

    /// <summary>The receiver's spec as JSON when the notification was made (Secret values are looked up at each attempt).</summary>
    public required string ReceiverSpec { get; init; }

    /// <summary>The aggregation group the notification reports on.</summary>
    public required string GroupKey { get; init; }

    /// <summary>The notification body as JSON (the webhook body; other receivers render from it).</summary>
    public required string Payload { get; init; }

    public NotificationStatus Status { get; init; } = NotificationStatus.Pending;

    /// <summary>Attempts made so far.</summary>
    public int Attempts { get; init; }

    /// <summary>When the next attempt is due (pending only).</summary>
    public required DateTimeOffset NextAttemptAt { get; init; }

    /// <summary>Why the last attempt failed.</summary>
    public string? LastError { get; init; }

    /// <summary>When it was delivered or given up on.</summary>
    public DateTimeOffset? CompletedAt { get; init; }
}
