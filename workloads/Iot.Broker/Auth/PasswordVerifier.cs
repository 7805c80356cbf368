using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

using Iot.Api.Devices;

namespace Iot.Broker.Auth;

/// <summary>
/// Verifies passwords against their salted PBKDF2 hashes (<see cref="DeviceCredentials.Verify"/>), remembering each
/// successful verification by (username, hash) as a SHA-256 digest of the password: a reconnect storm costs one SHA-256
/// per connect instead of thousands of PBKDF2 rounds. A new hash (rotation) misses the cache; <see cref="Forget"/> drops
/// a user's entries when the registry reports a change.
/// </summary>
public sealed class PasswordVerifier
{
    private readonly ConcurrentDictionary<(string User, string Hash), byte[]> verified = new();

    /// <summary>Whether <paramref name="password"/> is the password of <paramref name="encodedHash"/>, in constant time.</summary>
    public bool Verify(string username, string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(encodedHash);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (verified.TryGetValue((username, encodedHash), out var known))
        {
            return CryptographicOperations.FixedTimeEquals(digest, known);
        }

        if (!DeviceCredentials.Verify(password, encodedHash))
        {
            return false;
        }

        verified[(username, encodedHash)] = digest;
        return true;
    }

    /// <summary>Forgets the cached verifications of <paramref name="username"/>.</summary>
    public void Forget(string username)
    {
        foreach (var key in verified.Keys)
        {
            if (key.User == username)
            {
                verified.TryRemove(key, out _);
            }
        }
    }
}
