using System.Text.Json.Serialization;

namespace Iot.Api.Devices;

/// <summary>The lifecycle phase of a Device.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DevicePhase>))]
public enum DevicePhase
{
    /// <summary>Accepted, credentials not yet issued.</summary>
    Pending,

    /// <summary>Credentials issued; the device may connect.</summary>
    Ready,

    /// <summary>spec.disabled is true; broker access revoked.</summary>
    Disabled,

    /// <summary>The spec cannot be realised; see the Ready condition.</summary>
    Failed,
}
