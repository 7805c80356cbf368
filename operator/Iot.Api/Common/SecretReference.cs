using System.ComponentModel.DataAnnotations;

namespace Iot.Api.Common;

/// <summary>A Secret in the same namespace, used whole.</summary>
public sealed class SecretReference
{
    /// <summary>Name of the Secret.</summary>
    [Required]
    [RegularExpression(Names.DnsSubdomainPattern)]
    public string Name { get; set; } = string.Empty;
}
