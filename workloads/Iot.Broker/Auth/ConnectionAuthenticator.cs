using System.Security.Cryptography.X509Certificates;

using Iot.Api.Devices;
using Iot.Broker.Registry;

namespace Iot.Broker.Auth;

/// <summary>The outcome of a CONNECT: an identity, or the reason it was refused.</summary>
public sealed record AuthResult(ClientIdentity? Identity, string? Failure)
{
    /// <summary>Accepted as <paramref name="identity"/>.</summary>
    public static AuthResult Accept(ClientIdentity identity) => new(identity, null);

    /// <summary>Refused for <paramref name="reason"/> (an <see cref="AuthFailure"/> value).</summary>
    public static AuthResult Refuse(string reason) => new(null, reason);
}

/// <summary>
/// Decides who may connect: workloads with the internal credentials; Devices with the password issued to them (client
/// id = username = device id) or, over TLS, a client certificate whose CN is the id of a certificate-mode Device.
/// Disabled, deleted and credential-less Devices are refused.
/// </summary>
public sealed class ConnectionAuthenticator(BrokerOptions options, IDeviceRegistry registry, PasswordVerifier passwords)
{
    /// <summary>Checks one CONNECT.</summary>
    public AuthResult Authenticate(string clientId, string? username, string? password, X509Certificate2? clientCertificate)
    {
        if (clientCertificate is not null)
        {
            return AuthenticateCertificate(clientId, username, clientCertificate);
        }

        if (string.IsNullOrEmpty(username) || password is null)
        {
            return AuthResult.Refuse(AuthFailure.BadPassword);
        }

        if (username == options.InternalUsername)
        {
            return IsInternalPassword(password) ? AuthResult.Accept(ClientIdentity.Internal) : AuthResult.Refuse(AuthFailure.Internal);
        }

        if (registry.Find(username) is not { } device)
        {
            return AuthResult.Refuse(AuthFailure.UnknownDevice);
        }

        if (clientId != device.Id)
        {
            return AuthResult.Refuse(AuthFailure.ClientIdMismatch);
        }

        if (device.Disabled)
        {
            return AuthResult.Refuse(AuthFailure.Disabled);
        }

        if (device.Mode != DeviceAuthMode.Password || device.PasswordHash is not { } hash)
        {
            return AuthResult.Refuse(AuthFailure.NoCredentials);
        }

        return passwords.Verify(device.Id, password, hash)
            ? AuthResult.Accept(new ClientIdentity(device.Id, hash))
            : AuthResult.Refuse(AuthFailure.BadPassword);
    }

    /// <summary>
    /// Whether a client connected as <paramref name="identity"/> may stay connected with the registry's current record of
    /// its device (not deleted, not disabled, same credentials).
    /// </summary>
    public bool IsStillValid(ClientIdentity identity)
    {
        if (identity.DeviceId is not { } id)
        {
            return true;
        }

        return registry.Find(id) is { Disabled: false } device
            && (identity.CredentialHash is null ? device.Mode == DeviceAuthMode.Certificate : device.PasswordHash == identity.CredentialHash);
    }

    private AuthResult AuthenticateCertificate(string clientId, string? username, X509Certificate2 certificate)
    {
        // The TLS handshake already checked the chain against the CA; here the CN names the device.
        var id = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        if (string.IsNullOrEmpty(id) || registry.Find(id) is not { } device)
        {
            return AuthResult.Refuse(AuthFailure.Certificate);
        }

        if (clientId != id || (!string.IsNullOrEmpty(username) && username != id))
        {
            return AuthResult.Refuse(AuthFailure.ClientIdMismatch);
        }

        if (device.Disabled)
        {
            return AuthResult.Refuse(AuthFailure.Disabled);
        }

        return device.Mode == DeviceAuthMode.Certificate
            ? AuthResult.Accept(new ClientIdentity(id, null))
            : AuthResult.Refuse(AuthFailure.Certificate);
    }

    private bool IsInternalPassword(string password)
    {
        if (options.InternalPasswordHash is { } hash)
        {
            return passwords.Verify(options.InternalUsername, password, hash);
        }

        return options.InternalPassword is { } expected
            && System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
                System.Text.Encoding.UTF8.GetBytes(password), System.Text.Encoding.UTF8.GetBytes(expected));
    }
}
