using System.ComponentModel.DataAnnotations;

namespace Iot.Api.Common;

/// <summary>One aspect of an object's state, in the standard metav1.Condition shape.</summary>
public sealed class Condition
{
    /// <summary>Type of condition in CamelCase, e.g. Ready.</summary>
    [Required]
    public string Type { get; set; } = string.Empty;

    /// <summary>Status of the condition: True, False or Unknown.</summary>
    [Required]
    public ConditionStatus Status { get; set; } = ConditionStatus.Unknown;

    /// <summary>The metadata.generation the condition was set from.</summary>
    public long? ObservedGeneration { get; set; }

    /// <summary>When the condition last changed from one status to another.</summary>
    [Required]
    public DateTime LastTransitionTime { get; set; }

    /// <summary>A programmatic identifier, in CamelCase, for the condition's last transition.</summary>
    [Required]
    public string Reason { get; set; } = string.Empty;

    /// <summary>A human-readable message with details about the transition.</summary>
    public string? Message { get; set; }
}
