namespace Iot.Storage.Events;

/// <summary>A silence: alerts matching all its matchers are not notified between its start and end.</summary>
public sealed record SilenceRecord
{
    public required string Id { get; init; }

    /// <summary>Alertmanager matchers, as written.</summary>
    public required IReadOnlyList<string> Matchers { get; init; }

    public required DateTimeOffset StartsAt { get; init; }

    public required DateTimeOffset EndsAt { get; init; }

    public required string CreatedBy { get; init; }

    public string Comment { get; init; } = "";

    public required DateTimeOffset CreatedAt { get; init; }
}
