using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.Devices;

/// <summary>One field of a device's telemetry.</summary>
public sealed class TelemetryField
{
    /// <summary>The field name in telemetry messages; also its name in rule expressions and storage.</summary>
    [Required]
    [RegularExpression(Names.IdentifierPattern)]
    [MaxLength(63)]
    public string Name { get; set; } = string.Empty;

    /// <summary>The value type; messages with another type are rejected.</summary>
    [Required]
    public TelemetryType Type { get; set; }

    /// <summary>Unit of the value, as a UCUM code (e.g. Cel, %, ppm, W); informational.</summary>
    public string? Unit { get; set; }

    /// <summary>Smallest accepted value (number and integer fields); lower values are rejected.</summary>
    public double? Min { get; set; }

    /// <summary>Largest accepted value (number and integer fields); higher values are rejected.</summary>
    public double? Max { get; set; }
}
