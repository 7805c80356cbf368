using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;

using Iot.Api.Devices;
using Iot.Ingest.Devices;

namespace Iot.Ingest.Http;

/// <summary>
/// HTTP basic authentication of devices (username = device id) against the <c>password.hash</c> of the Device's
/// credentials Secret, as the broker verifies MQTT passwords. A successful verification is remembered per device and
/// hash (as a SHA-256 of the password), so PBKDF2 runs once per device until its credentials rotate.
/// </summary>
internal sealed class DeviceAuthenticator(DeviceCatalog catalog)
{
    private readonly ConcurrentDictionary<string, Verified> verified = new(StringComparer.Ordinal);

    /// <summary>The Device whose credentials an <c>Authorization</c> header carries, or null.</summary>
    public DeviceProfile? Authenticate(string? authorization)
    {
        if (!TryParseBasic(authorization, out var deviceId, out var password) || catalog.Find(deviceId) is not { } device
            || catalog.PasswordHashOf(device.CredentialsSecret) is not { } hash)
        {
            return null;
        }

        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (verified.TryGetValue(deviceId, out var known) && known.Hash == hash)
        {
            return CryptographicOperations.FixedTimeEquals(known.PasswordDigest, digest) ? device : null;
        }

        if (!DeviceCredentials.Verify(password, hash))
        {
            return null;
        }

        verified[deviceId] = new Verified(hash, digest);
        return device;
    }

    private static bool TryParseBasic(string? authorization, out string username, out string password)
    {
        username = password = "";
        if (!AuthenticationHeaderValue.TryParse(authorization, out var header) || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase) || header.Parameter is null)
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
        }
        catch (FormatException)
        {
            return false;
        }

        var colon = decoded.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            return false;
        }

        username = decoded[..colon];
        password = decoded[(colon + 1)..];
        return true;
    }

    private sealed record Verified(string Hash, byte[] PasswordDigest);
}
