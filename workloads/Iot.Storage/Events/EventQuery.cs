namespace Iot.Storage.Events;

/// <summary>A page of the history, newest first; every filter given must hold.</summary>
public sealed record EventQuery
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>An event type, or a prefix ending in a dot (<c>notification.</c>).</summary>
    public string? Type { get; init; }

    public string? Device { get; init; }

    public string? Rule { get; init; }

    public string? Fingerprint { get; init; }

    public string? NotificationId { get; init; }

    /// <summary>Only events older than this id (the previous page's <see cref="EventPage.Next"/>).</summary>
    public long? Before { get; init; }

    public int Limit { get; init; } = 100;
}

/// <summary>One page of events and the cursor of the next, if there are more.</summary>
public sealed record EventPage(IReadOnlyList<EventRecord> Events, long? Next);
