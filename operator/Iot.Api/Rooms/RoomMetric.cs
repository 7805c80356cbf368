using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.Rooms;

/// <summary>A room aggregate over one telemetry field of the room's devices.</summary>
public sealed class RoomMetric
{
    /// <summary>The metric's name in the analytics API.</summary>
    [Required]
    [RegularExpression(Names.IdentifierPattern)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The telemetry field aggregated.</summary>
    [Required]
    [RegularExpression(Names.IdentifierPattern)]
    public string Field { get; set; } = string.Empty;

    /// <summary>How the devices' latest values combine: mean, min, max, sum or count.</summary>
    [DefaultValue("mean")]
    public Aggregate? Aggregate { get; set; }
}
