using System.Globalization;
using System.Text;

using Iot.Api;
using Iot.Api.Devices;

using k8s.Models;

using static Iot.Api.Devices.CredentialsSecret;

namespace Iot.Operator.Devices;

/// <summary>The secret material issued to one Device: a password and its hash, or a client certificate and the CA certificate.</summary>
/// <param name="Password">The password (password mode).</param>
/// <param name="PasswordHash">The password's hash, the only part the broker reads (password mode).</param>
/// <param name="Client">The client certificate and key (certificate mode).</param>
/// <param name="CaCertificatePem">The CA certificate that signed <paramref name="Client"/> (certificate mode).</param>
public sealed record IssuedCredentials(string? Password, string? PasswordHash, CertificateMaterial? Client, string? CaCertificatePem)
{
    /// <summary>New credentials for <paramref name="deviceId"/> in <paramref name="mode"/>; certificate mode needs <paramref name="ca"/>.</summary>
    public static IssuedCredentials Issue(DeviceAuthMode mode, string deviceId, CertificateMaterial? ca, DateTimeOffset now)
    {
        if (mode == DeviceAuthMode.Certificate)
        {
            ArgumentNullException.ThrowIfNull(ca);
            return new IssuedCredentials(null, null, DeviceCertificateAuthority.IssueClientCertificate(ca, deviceId, now), ca.CertificatePem);
        }

        var password = DeviceCredentials.GeneratePassword();
        return new IssuedCredentials(password, DeviceCredentials.Hash(password), null, null);
    }

    /// <inheritdoc />
    public override string ToString() => "IssuedCredentials { *** }";
}

/// <summary>Builds the desired credentials Secret of a Device (DESIGN.md §4) and the per-namespace CA Secret.</summary>
public static class DeviceSecretBuilder
{
    /// <summary>The keys that hold issued (secret) material, replaced on rotation.</summary>
    public static readonly IReadOnlyList<string> IssuedKeys = [PasswordKey, PasswordHashKey, TlsCrtKey, TlsKeyKey, CaCrtKey];

    /// <summary>The auth mode of a Device (password unless set).</summary>
    public static DeviceAuthMode Mode(Device device) => device.Spec.Auth?.Mode ?? DeviceAuthMode.Password;

    /// <summary>The keys a credentials Secret must have for <paramref name="mode"/>.</summary>
    public static IReadOnlyList<string> RequiredKeys(DeviceAuthMode mode) => mode == DeviceAuthMode.Certificate
        ? [UsernameKey, HostKey, PortKey, ClientIdKey, TlsCrtKey, TlsKeyKey, CaCrtKey]
        : [UsernameKey, PasswordKey, PasswordHashKey, HostKey, PortKey, ClientIdKey];

    /// <summary>The issued-material keys of <paramref name="mode"/>.</summary>
    public static IReadOnlyList<string> IssuedKeysOf(DeviceAuthMode mode) => mode == DeviceAuthMode.Certificate
        ? [TlsCrtKey, TlsKeyKey, CaCrtKey]
        : [PasswordKey, PasswordHashKey];

    /// <summary>The non-secret connection keys (username, host, port, clientId) of a Device.</summary>
    public static Dictionary<string, string> ConnectionData(Device device, DeviceControllerOptions options)
    {
        var id = device.Metadata.Name;
        var port = Mode(device) == DeviceAuthMode.Certificate ? options.TlsPort : options.BrokerPort;
        return new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [UsernameKey] = id,
            [HostKey] = options.BrokerHost,
            [PortKey] = port.ToString(CultureInfo.InvariantCulture),
            [ClientIdKey] = id,
        };
    }

    /// <summary>The issued-material keys of <paramref name="credentials"/>.</summary>
    public static Dictionary<string, string> IssuedData(IssuedCredentials credentials)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        if (credentials.Password is { } password)
        {
            data[PasswordKey] = password;
        }

        if (credentials.PasswordHash is { } hash)
        {
            data[PasswordHashKey] = hash;
        }

        if (credentials.Client is { } client)
        {
            data[TlsCrtKey] = client.CertificatePem;
            data[TlsKeyKey] = client.KeyPem;
        }

        if (credentials.CaCertificatePem is { } ca)
        {
            data[CaCrtKey] = ca;
        }

        return data;
    }

    /// <summary>The controller ownerReference pointing at <paramref name="device"/>.</summary>
    public static V1OwnerReference OwnerReference(Device device) => new()
    {
        ApiVersion = IotApi.ApiVersion,
        Kind = "Device",
        Name = device.Metadata.Name,
        Uid = device.Metadata.Uid,
        Controller = true,
        BlockOwnerDeletion = true,
    };

    /// <summary>Whether <paramref name="secret"/> is controlled by <paramref name="device"/>.</summary>
    public static bool IsOwnedBy(V1Secret secret, Device device) =>
        secret.Metadata?.OwnerReferences?.Any(r => r.Controller == true && r.Kind == "Device" && r.Uid == device.Metadata.Uid) == true;

    /// <summary>The annotations the operator manages on a credentials Secret (a null value: must be absent).</summary>
    public static Dictionary<string, string?> ManagedAnnotations(Device device, string? rotatedFor) => new(StringComparer.Ordinal)
    {
        [RotatedForAnnotation] = rotatedFor,
        [DisabledAnnotation] = device.Spec.Disabled == true ? "true" : null,
    };

    /// <summary>The value of the Device's <see cref="RotateAnnotation"/>, or null.</summary>
    public static string? RotationRequest(Device device) =>
        device.Metadata.Annotations is { } annotations && annotations.TryGetValue(RotateAnnotation, out var value) ? value : null;

    /// <summary>The desired credentials Secret of <paramref name="device"/> holding <paramref name="credentials"/>.</summary>
    public static V1Secret Build(Device device, DeviceControllerOptions options, IssuedCredentials credentials)
    {
        ArgumentNullException.ThrowIfNull(device);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(credentials);
        var data = ConnectionData(device, options);
        foreach (var (key, value) in IssuedData(credentials))
        {
            data[key] = value;
        }

        var annotations = ManagedAnnotations(device, RotationRequest(device))
            .Where(a => a.Value is not null)
            .ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal);
        return new V1Secret
        {
            ApiVersion = "v1",
            Kind = "Secret",
            Metadata = new V1ObjectMeta
            {
                Name = NameFor(device.Metadata.Name),
                NamespaceProperty = device.Metadata.NamespaceProperty,
                Labels = new Dictionary<string, string> { [ManagedByLabel] = ManagedByValue },
                Annotations = annotations.Count == 0 ? null : annotations,
                OwnerReferences = [OwnerReference(device)],
            },
            Type = "Opaque",
            Data = data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetBytes(d.Value), StringComparer.Ordinal),
        };
    }

    /// <summary>The CA Secret of <paramref name="namespace"/> holding <paramref name="ca"/>.</summary>
    public static V1Secret BuildCaSecret(string @namespace, CertificateMaterial ca) => new()
    {
        ApiVersion = "v1",
        Kind = "Secret",
        Metadata = new V1ObjectMeta
        {
            Name = CaSecretName,
            NamespaceProperty = @namespace,
            Labels = new Dictionary<string, string> { [ManagedByLabel] = ManagedByValue },
        },
        Type = "Opaque",
        Data = new Dictionary<string, byte[]>
        {
            [CaCrtKey] = Encoding.UTF8.GetBytes(ca.CertificatePem),
            [CaKeyKey] = Encoding.UTF8.GetBytes(ca.KeyPem),
        },
    };

    /// <summary>The CA held by a CA Secret, or null if it lacks a key.</summary>
    public static CertificateMaterial? ReadCa(V1Secret secret) =>
        secret.Data is { } data && data.TryGetValue(CaCrtKey, out var crt) && data.TryGetValue(CaKeyKey, out var key)
            ? new CertificateMaterial(Encoding.UTF8.GetString(crt), Encoding.UTF8.GetString(key))
            : null;
}
