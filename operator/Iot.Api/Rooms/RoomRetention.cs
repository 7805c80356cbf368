using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.Rooms;

/// <summary>How long a room's telemetry is kept.</summary>
public sealed class RoomRetention
{
    /// <summary>How long raw points are kept (duration, e.g. 7d).</summary>
    [RegularExpression(Duration.Pattern)]
    [DefaultValue("7d")]
    public string? Raw { get; set; }

    /// <summary>Downsampled copies (mean, min, max, count of each field), finest first: each every larger than the one before.</summary>
    [MaxLength(8)]
    public List<Rollup>? Rollups { get; set; }

    /// <summary>When the Room is deleted, also drop its retention policies and so its stored telemetry (default: the data stays; only the rollup continuous queries are dropped).</summary>
    [DefaultValue(false)]
    public bool? DeleteDataOnRemoval { get; set; }
}
