using System.Security.Cryptography.X509Certificates;

namespace Iot.Broker.Registry;

/// <summary>The Devices allowed to connect, kept current while the broker runs.</summary>
public interface IDeviceRegistry
{
    /// <summary>True once the registry holds a complete view (the broker is not ready before).</summary>
    bool IsSynced { get; }

    /// <summary>The CA that signs device client certificates, when the registry knows one.</summary>
    X509Certificate2? ClientCertificateAuthority { get; }

    /// <summary>The device with this id, or null if there is none.</summary>
    DeviceRecord? Find(string deviceId);

    /// <summary>Raised with a device id whenever that device's record may have changed (added, changed, removed). Handlers must be quick.</summary>
    event Action<string>? DeviceChanged;
}
