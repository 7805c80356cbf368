using System.Globalization;
using System.Security.Cryptography;

namespace Iot.Api.Devices;

/// <summary>Device passwords: generation, and the salted PBKDF2-SHA256 hash the broker verifies them against.</summary>
public static class DeviceCredentials
{
    /// <summary>The length of generated passwords.</summary>
    public const int PasswordLength = 32;

    /// <summary>
    /// PBKDF2 rounds. The passwords are 32 random URL-safe characters (about 190 bits), so key stretching adds no real
    /// protection (it exists for low-entropy human passwords) while its cost is paid on every issue and on every broker
    /// connect: 100,000 rounds made issuing credentials for 10,000 devices take minutes. The rounds are in each hash,
    /// so they can change without invalidating issued credentials.
    /// </summary>
    public const int Iterations = 4_096;

    /// <summary>The prefix of the hash format <c>pbkdf2-sha256$&lt;iterations&gt;$&lt;salt b64&gt;$&lt;hash b64&gt;</c>.</summary>
    public const string Scheme = "pbkdf2-sha256";

    private const string UrlSafeAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    private const int SaltBytes = 16;
    private const int HashBytes = 32;

    /// <summary>A random password of <see cref="PasswordLength"/> URL-safe characters.</summary>
    public static string GeneratePassword() => RandomNumberGenerator.GetString(UrlSafeAlphabet, PasswordLength);

    /// <summary>The salted hash of <paramref name="password"/>, with a fresh random salt.</summary>
    public static string Hash(string password, int iterations = Iterations)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, HashBytes);
        return string.Join('$', Scheme, iterations.ToString(CultureInfo.InvariantCulture), Convert.ToBase64String(salt), Convert.ToBase64String(hash));
    }

    /// <summary>Whether <paramref name="password"/> matches <paramref name="encodedHash"/> (false for a malformed hash).</summary>
    public static bool Verify(string password, string encodedHash)
    {
        ArgumentNullException.ThrowIfNull(password);
        ArgumentNullException.ThrowIfNull(encodedHash);
        var parts = encodedHash.Split('$');
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return false;
        }

        byte[] salt, expected;
        try
        {
            salt = Convert.FromBase64String(parts[2]);
            expected = Convert.FromBase64String(parts[3]);
        }
        catch (FormatException)
        {
            return false;
        }

        if (expected.Length == 0)
        {
            return false;
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(password, salt, iterations, HashAlgorithmName.SHA256, expected.Length);
        return CryptographicOperations.FixedTimeEquals(actual, expected);
    }
}
