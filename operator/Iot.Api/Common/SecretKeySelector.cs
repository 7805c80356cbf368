using System.ComponentModel.DataAnnotations;

namespace Iot.Api.Common;

/// <summary>A key of a Secret in the same namespace.</summary>
public sealed class SecretKeySelector
{
    /// <summary>Name of the Secret.</summary>
    [Required]
    [RegularExpression(Names.DnsSubdomainPattern)]
    public string Name { get; set; } = string.Empty;

    /// <summary>Key within the Secret's data.</summary>
    [Required]
    [RegularExpression("^[-._a-zA-Z0-9]+$")]
    public string Key { get; set; } = string.Empty;
}
