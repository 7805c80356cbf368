using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.Rooms;

/// <summary>One downsampling level of a room's telemetry.</summary>
public sealed class Rollup
{
    /// <summary>The bucket size (duration, e.g. 5m).</summary>
    [Required]
    [RegularExpression(Duration.Pattern)]
    public string Every { get; set; } = string.Empty;

    /// <summary>How long the rolled-up points are kept (duration, e.g. 90d); at least every.</summary>
    [Required]
    [RegularExpression(Duration.Pattern)]
    public string Keep { get; set; } = string.Empty;
}
