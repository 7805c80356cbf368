using System.ComponentModel;
using System.ComponentModel.DataAnnotations;

using Iot.Api.Common;

namespace Iot.Api.Devices;

/// <summary>Liveness settings of a Device.</summary>
public sealed class DeviceHeartbeat
{
    /// <summary>The device is offline after this long without a message (duration, e.g. 2m).</summary>
    [RegularExpression(Duration.Pattern)]
    [DefaultValue("2m")]
    public string? Timeout { get; set; }
}
