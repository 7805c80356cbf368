using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Iot.Operator.Devices;

/// <summary>A certificate and its private key, PEM-encoded.</summary>
/// <param name="CertificatePem">The X.509 certificate (PEM "CERTIFICATE").</param>
/// <param name="KeyPem">The private key (PEM "PRIVATE KEY", PKCS#8).</param>
public sealed record CertificateMaterial(string CertificatePem, string KeyPem)
{
    /// <inheritdoc />
    public override string ToString() => "CertificateMaterial { KeyPem = *** }";
}

/// <summary>The per-namespace device CA: creates the CA and issues device client certificates (CN = device id).</summary>
public static class DeviceCertificateAuthority
{
    /// <summary>How long a CA certificate is valid.</summary>
    public static readonly TimeSpan CaValidity = TimeSpan.FromDays(3650);

    /// <summary>How long a device certificate is valid.</summary>
    public static readonly TimeSpan ClientValidity = TimeSpan.FromDays(365);

    /// <summary>A new self-signed CA (ECDSA P-256) for the devices of <paramref name="namespace"/>.</summary>
    public static CertificateMaterial CreateCa(string @namespace, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(new X500DistinguishedName($"CN=iot-device-ca.{@namespace}, O=iot-operator"), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        using var certificate = request.CreateSelfSigned(now.AddMinutes(-5), now + CaValidity);
        return new CertificateMaterial(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    /// <summary>A client certificate (ECDSA P-256, CN = <paramref name="deviceId"/>) signed by <paramref name="ca"/>.</summary>
    public static CertificateMaterial IssueClientCertificate(CertificateMaterial ca, string deviceId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ca);
        ArgumentException.ThrowIfNullOrEmpty(deviceId);
        using var caCertificate = X509Certificate2.CreateFromPem(ca.CertificatePem, ca.KeyPem);
        using var caKey = caCertificate.GetECDsaPrivateKey() ?? throw new InvalidOperationException("The CA key is not an ECDSA key");
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddCommonName(deviceId);
        var request = new CertificateRequest(subject.Build(), key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(caCertificate, true, false));
        var notAfter = now + ClientValidity;
        if (notAfter > caCertificate.NotAfter)
        {
            notAfter = caCertificate.NotAfter;
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var certificate = request.Create(caCertificate.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), now.AddMinutes(-5), notAfter, serial);
        return new CertificateMaterial(certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }
}
