namespace Iot.Api.Rooms;

/// <summary>Retention as applied to the time-series store.</summary>
public sealed class AppliedRetention
{
    /// <summary>How long raw points are kept.</summary>
    public string? Raw { get; set; }

    /// <summary>The rollup levels in place.</summary>
    public List<Rollup>? Rollups { get; set; }

    /// <summary>When the store last matched the spec.</summary>
    public DateTime? AppliedAt { get; set; }
}
