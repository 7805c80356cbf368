using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.EdgeRules;

/// <summary>Fires when a device has sent nothing for a time.</summary>
public sealed class AbsenceCondition
{
    /// <summary>How long without a message (duration).</summary>
    [Required]
    [RegularExpression(Duration.Pattern)]
    public string For { get; set; } = string.Empty;
}
