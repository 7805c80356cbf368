namespace Iot.Storage.Events;

/// <summary>An alert as the event store keeps it: its latest state, and who acknowledged it.</summary>
public sealed record StoredAlert
{
    public required string Fingerprint { get; init; }

    public required string Namespace { get; init; }

    public required string Rule { get; init; }

    public required string Device { get; init; }

    public string? Room { get; init; }

    /// <summary><c>firing</c> or <c>resolved</c>.</summary>
    public required string Status { get; init; }

    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    public double? Value { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public DateTimeOffset? EndsAt { get; init; }

    /// <summary>When the store last received an event of this alert.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    public string? AcknowledgedBy { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    public string? AcknowledgeComment { get; init; }
}
