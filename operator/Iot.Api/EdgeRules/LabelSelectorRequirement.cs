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

    /// <summary>Whether <paramref name="labels"/> satisfy the requirement.</summary>
    public bool Matches(IDictionary<string, string> labels)
    {
        var present = labels.TryGetValue(Key, out var value);
        return Operator switch
        {
            LabelSelectorOperator.In => present && (Values ?? []).Contains(value!),
            LabelSelectorOperator.NotIn => !present || !(Values ?? []).Contains(value!),
            LabelSelectorOperator.Exists => present,
            _ => !present,
        };
    }
}
