using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.EdgeRules;

/// <summary>The desired state of an EdgeRule.</summary>
public sealed class EdgeRuleSpec
{
    /// <summary>Which devices' telemetry the rule evaluates; every criterion given must match.</summary>
    [Required]
    public DeviceSelector Selector { get; set; } = new();

    /// <summary>When the rule fires. Exactly one kind of condition.</summary>
    [Required]
    public RuleCondition Condition { get; set; } = new();

    /// <summary>When a firing rule resolves (hysteresis). Default: as soon as the condition no longer holds.</summary>
    public RuleCondition? Clear { get; set; }

    /// <summary>What happens when the rule fires, in order.</summary>
    [Required]
    [MinLength(1)]
    public List<RuleAction> Actions { get; set; } = [];

    /// <summary>After firing for a device, the rule does not act again for that device for this long (duration).</summary>
    [RegularExpression(Duration.Pattern)]
    public string? Cooldown { get; set; }

    /// <summary>enforce acts; dryRun evaluates and counts firings but never acts.</summary>
    [DefaultValue("enforce")]
    public RuleMode? Mode { get; set; }
}
