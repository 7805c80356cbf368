using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.Devices;

/// <summary>The desired state of a Device.</summary>
public sealed class DeviceSpec
{
    /// <summary>The device type, like an AWS IoT thing type (e.g. thermostat); EdgeRules select devices by it.</summary>
    [Required]
    [RegularExpression(Names.DnsLabelPattern)]
    [MaxLength(63)]
    public string Type { get; set; } = string.Empty;

    /// <summary>The Room in this namespace the device is in; its telemetry uses the Room's retention.</summary>
    [RegularExpression(Names.DnsLabelPattern)]
    [MaxLength(63)]
    public string? Room { get; set; }

    /// <summary>Free-form descriptive attributes (vendor, model, firmware); not used for selection.</summary>
    public Dictionary<string, string>? Attributes { get; set; }

    /// <summary>The schema of the device's telemetry messages. Empty accepts any scalar fields.</summary>
    public List<TelemetryField>? Telemetry { get; set; }

    /// <summary>When the device counts as offline.</summary>
    public DeviceHeartbeat? Heartbeat { get; set; }

    /// <summary>How the device authenticates to the broker.</summary>
    public DeviceAuth? Auth { get; set; }

    /// <summary>The command names the platform may send to the device on its command topic.</summary>
    public List<string>? Commands { get; set; }

    /// <summary>True revokes the device's broker access (and disconnects it) but keeps its credentials and history.</summary>
    [DefaultValue(false)]
    public bool? Disabled { get; set; }
}
