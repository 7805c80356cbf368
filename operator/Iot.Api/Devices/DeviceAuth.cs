using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.Devices;

/// <summary>How a Device authenticates to the broker.</summary>
public sealed class DeviceAuth
{
    /// <summary>password: username and password issued by the operator; certificate: an X.509 client certificate whose CN is the device id.</summary>
    [DefaultValue("password")]
    public DeviceAuthMode? Mode { get; set; }

    /// <summary>Use this Secret (same layout as the generated one) instead of issuing credentials.</summary>
    [RegularExpression(Names.DnsSubdomainPattern)]
    public string? ExistingSecret { get; set; }
}
