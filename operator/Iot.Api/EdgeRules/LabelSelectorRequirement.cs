using System.ComponentModel.DataAnnotations;

namespace Iot.Api.EdgeRules;

/// <summary>One set-based label requirement.</summary>
public sealed class LabelSelectorRequirement
{
    /// <summary>The label key.</summary>
    [Required]
    public string Key { get; set; } = string.Empty;

    /// <summary>In, NotIn, Exists or DoesNotExist.</summary>
    [Required]
    public LabelSelectorOperator Operator { get; set; }

    /// <summary>The values for In and NotIn; empty for Exists and DoesNotExist.</summary>
    public List<string>? Values { get; set; }
}
