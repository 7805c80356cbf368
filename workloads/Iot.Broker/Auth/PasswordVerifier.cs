using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

using Iot.Api.Devices;

namespace Iot.Broker.Auth;

/// <summary>
/// Verifies passwords against their salted PBKDF2 hashes (<see cref="DeviceCredentials.Verify"/>), remembering each
/// user's last successful verification as (hash, SHA-256 of the password): a reconnect storm costs one SHA-256 per
/// connect instead of thousands of PBKDF2 rounds. A new hash (rotation) misses the cache; <see cref="Forget"/> drops a
/// user's entry when the registry reports a change.
/// </summary>
public sealed class PasswordVerifier
{
    private readonly ConcurrentDictionary<string, (string Hash, byte[] Digest)> verified = new(StringComparer.Ordinal);

    /// <summary>Whether <paramref name="password"/> is the password of <paramref name="encodedHash"/>, in constant time.</summary>
    public bool Verify(string username, string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(encodedHash);
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes(password));
        if (verified.TryGetValue(username, out var known) && known.Hash == encodedHash)
        {
            return CryptographicOperations.FixedTimeEquals(digest, known.Digest);
        }

        if (!DeviceCredentials.Verify(password, encodedHash))
        {
            return false;
        }

        verified[username] = (encodedHash, digest);
        return true;
    }

    /// <summary>Forgets the cached verification of <paramref name="username"/>.</summary>
    public void Forget(string username) => verified.TryRemove(username, out _);
}
