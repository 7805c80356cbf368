using System.Collections.Concurrent;
using System.Security.Cryptography.X509Certificates;

namespace Iot.Broker.Registry;

/// <summary>A registry filled by its host: dev mode and tests.</summary>
public sealed class InMemoryDeviceRegistry : IDeviceRegistry
{
    private readonly ConcurrentDictionary<string, DeviceRecord> devices = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public event Action<string>? DeviceChanged;

    /// <inheritdoc />
    public bool IsSynced => true;

    /// <inheritdoc />
    public X509Certificate2? ClientCertificateAuthority { get; set; }

    /// <inheritdoc />
    public DeviceRecord? Find(string deviceId) => devices.GetValueOrDefault(deviceId);

    /// <summary>Adds or replaces a device.</summary>
    public void Set(DeviceRecord device)
    {
        ArgumentNullException.ThrowIfNull(device);
        devices[device.Id] = device;
        DeviceChanged?.Invoke(device.Id);
    }

    /// <summary>Removes a device (as if its Device was deleted).</summary>
    public void Remove(string deviceId)
    {
        devices.TryRemove(deviceId, out _);
        DeviceChanged?.Invoke(deviceId);
    }
}
