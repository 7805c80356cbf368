using System.Text.Json.Serialization;

namespace Iot.Api.Devices;

/// <summary>How a Device authenticates.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<DeviceAuthMode>))]
public enum DeviceAuthMode
{
    /// <summary>Username and password.</summary>
    [JsonStringEnumMemberName("password")] Password,

    /// <summary>X.509 client certificate.</summary>
    [JsonStringEnumMemberName("certificate")] Certificate,
}
