using System.Collections.Concurrent;

using Iot.Api.Devices;

namespace Iot.Ingest.Devices;

/// <summary>
/// The namespace's Devices as ingest validates against them, and the password hashes of their credentials Secrets;
/// kept current by the informers' callbacks, read on every message without locks.
/// </summary>
internal sealed class DeviceCatalog
{
    private readonly ConcurrentDictionary<string, DeviceProfile> devices = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, string> passwordHashes = new(StringComparer.Ordinal);

    /// <summary>How many Devices are known.</summary>
    public int Count => devices.Count;

    public DeviceProfile? Find(string id) => devices.GetValueOrDefault(id);

    public void Set(Device device)
    {
        var profile = DeviceProfile.From(device);
        devices[profile.Id] = profile;
    }

    public void Remove(string id) => devices.TryRemove(id, out _);

    /// <summary>The <c>password.hash</c> of the Secret named <paramref name="secret"/>, or null.</summary>
    public string? PasswordHashOf(string secret) => passwordHashes.GetValueOrDefault(secret);

    public void SetPasswordHash(string secret, string? hash)
    {
        if (hash is null)
        {
            passwordHashes.TryRemove(secret, out _);
        }
        else
        {
            passwordHashes[secret] = hash;
        }
    }
}
