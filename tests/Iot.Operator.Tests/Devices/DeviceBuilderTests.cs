using System.Security.Cryptography.X509Certificates;
using System.Text;

using Iot.Api.Devices;
using Iot.Operator.Devices;

using k8s.Models;

namespace Iot.Operator.Tests.Devices;

public sealed class DeviceBuilderTests
{
    private static readonly DateTimeOffset Now = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Generated_passwords_are_32_url_safe_characters_and_differ()
    {
        var a = DeviceCredentials.GeneratePassword();
        var b = DeviceCredentials.GeneratePassword();
        Assert.Equal(32, a.Length);
        Assert.All(a, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_'));
        Assert.NotEqual(a, b);
    }

    [Fact]
    public void The_hash_verifies_the_password_and_rejects_others()
    {
        var password = DeviceCredentials.GeneratePassword();
        var hash = DeviceCredentials.Hash(password);
        Assert.StartsWith($"pbkdf2-sha256${DeviceCredentials.Iterations}$", hash, StringComparison.Ordinal);
        Assert.DoesNotContain(password, hash, StringComparison.Ordinal);
        Assert.True(DeviceCredentials.Verify(password, hash));
        Assert.False(DeviceCredentials.Verify(password + "x", hash));
        Assert.False(DeviceCredentials.Verify("", hash));
        Assert.False(DeviceCredentials.Verify(password, "not-a-hash"));
        Assert.False(DeviceCredentials.Verify(password, "pbkdf2-sha256$1000$!!$!!"));
    }

    [Fact]
    public void The_salt_differs_per_call()
    {
        var first = DeviceCredentials.Hash("secret", 1000);
        var second = DeviceCredentials.Hash("secret", 1000);
        Assert.NotEqual(first.Split('$')[2], second.Split('$')[2]);
        Assert.NotEqual(first, second);
        Assert.True(DeviceCredentials.Verify("secret", first));
        Assert.True(DeviceCredentials.Verify("secret", second));
    }

    [Fact]
    public void Client_certificates_name_the_device_and_chain_to_the_ca()
    {
        var ca = DeviceCertificateAuthority.CreateCa("test", Now);
        var client = DeviceCertificateAuthority.IssueClientCertificate(ca, "thermo-1", Now);
        using var caCertificate = X509Certificate2.CreateFromPem(ca.CertificatePem);
        using var certificate = X509Certificate2.CreateFromPem(client.CertificatePem, client.KeyPem);
        Assert.Equal("thermo-1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.True(certificate.HasPrivateKey);
        Assert.Equal(caCertificate.SubjectName.Name, certificate.IssuerName.Name);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(caCertificate);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.AddDays(1).UtcDateTime;
        Assert.True(chain.Build(certificate), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        var otherCa = DeviceCertificateAuthority.CreateCa("other", Now);
        using var otherCaCertificate = X509Certificate2.CreateFromPem(otherCa.CertificatePem);
        using var otherChain = new X509Chain();
        otherChain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        otherChain.ChainPolicy.CustomTrustStore.Add(otherCaCertificate);
        otherChain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        otherChain.ChainPolicy.VerificationTime = Now.AddDays(1).UtcDateTime;
        Assert.False(otherChain.Build(certificate));
    }

    [Fact]
    public void The_password_secret_has_the_design_layout_and_an_owner_reference()
    {
        var device = Device("thermo-1");
        var credentials = IssuedCredentials.Issue(DeviceAuthMode.Password, "thermo-1", null, Now);
        var secret = DeviceSecretBuilder.Build(device, new DeviceControllerOptions(), credentials);

        Assert.Equal("thermo-1-credentials", secret.Metadata.Name);
        Assert.Equal("test", secret.Metadata.NamespaceProperty);
        Assert.Equal("iot-operator", secret.Metadata.Labels["app.kubernetes.io/managed-by"]);
        var owner = Assert.Single(secret.Metadata.OwnerReferences);
        Assert.Equal(("iotoperator.io/v1alpha1", "Device", "thermo-1", "uid-1", true, true), (owner.ApiVersion, owner.Kind, owner.Name, owner.Uid, owner.Controller, owner.BlockOwnerDeletion));
        var data = Text(secret);
        Assert.Equal(["clientId", "host", "password", "password.hash", "port", "username"], data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("thermo-1", data["username"]);
        Assert.Equal("thermo-1", data["clientId"]);
        Assert.Equal("iot-broker", data["host"]);
        Assert.Equal("1883", data["port"]);
        Assert.True(DeviceCredentials.Verify(data["password"], data["password.hash"]));
        Assert.Null(secret.Metadata.Annotations);
    }

    [Fact]
    public void The_certificate_secret_carries_the_client_certificate_and_the_ca()
    {
        var device = Device("cam-1");
        device.Spec.Auth = new DeviceAuth { Mode = DeviceAuthMode.Certificate };
        device.Spec.Disabled = true;
        device.Metadata.Annotations = new Dictionary<string, string> { [CredentialsSecret.RotateAnnotation] = "r1" };
        var ca = DeviceCertificateAuthority.CreateCa("test", Now);
        var credentials = IssuedCredentials.Issue(DeviceAuthMode.Certificate, "cam-1", ca, Now);
        var secret = DeviceSecretBuilder.Build(device, new DeviceControllerOptions { BrokerHost = "b", TlsPort = 9999 }, credentials);

        var data = Text(secret);
        Assert.Equal(["ca.crt", "clientId", "host", "port", "tls.crt", "tls.key", "username"], data.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("9999", data["port"]);
        Assert.Equal(ca.CertificatePem, data["ca.crt"]);
        using var certificate = X509Certificate2.CreateFromPem(data["tls.crt"], data["tls.key"]);
        Assert.Equal("cam-1", certificate.GetNameInfo(X509NameType.SimpleName, false));
        Assert.Equal("true", secret.Metadata.Annotations[CredentialsSecret.DisabledAnnotation]);
        Assert.Equal("r1", secret.Metadata.Annotations[CredentialsSecret.RotatedForAnnotation]);
        Assert.DoesNotContain("KEY", credentials.ToString(), StringComparison.Ordinal);
    }

    private static Device Device(string name) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = "test", Uid = "uid-1" },
        Spec = new DeviceSpec { Type = "thermostat" },
    };

    private static Dictionary<string, string> Text(V1Secret secret) =>
        secret.Data.ToDictionary(d => d.Key, d => Encoding.UTF8.GetString(d.Value), StringComparer.Ordinal);
}
