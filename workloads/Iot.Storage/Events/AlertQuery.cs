namespace Iot.Storage.Events;

/// <summary>Which alerts to list; every filter given must hold. Newest first.</summary>
public sealed record AlertQuery
{
    /// <summary><c>firing</c>, <c>resolved</c>, or null for both.</summary>
    public string? Status { get; init; }

    public string? Rule { get; init; }

    public string? Device { get; init; }

    public string? Room { get; init; }

    public int Limit { get; init; } = 500;
}
