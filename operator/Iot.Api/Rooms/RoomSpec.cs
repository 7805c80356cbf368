using System.ComponentModel.DataAnnotations;

namespace Iot.Api.Rooms;

/// <summary>The desired state of a Room.</summary>
public sealed class RoomSpec
{
    /// <summary>Human-readable name shown by analytics, e.g. "Lab 1".</summary>
    [MaxLength(253)]
    public string? DisplayName { get; set; }

    /// <summary>The building the room is in.</summary>
    public string? Building { get; set; }

    /// <summary>The floor the room is on (negative for basements).</summary>
    public int? Floor { get; set; }

    /// <summary>How many people the room holds.</summary>
    [Range(0, int.MaxValue)]
    public int? Capacity { get; set; }

    /// <summary>Room aggregates that analytics maintains live from the room's devices' telemetry.</summary>
    public List<RoomMetric>? Metrics { get; set; }

    /// <summary>How long the room's telemetry is kept, raw and rolled up.</summary>
    public RoomRetention? Retention { get; set; }
}
