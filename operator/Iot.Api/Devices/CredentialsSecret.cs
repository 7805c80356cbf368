namespace Iot.Api.Devices;

/// <summary>
/// The documented layout of a Device's credentials Secret (DESIGN.md §4), shared by the operator that writes it, the
/// broker that verifies against it and the device library that connects with it.
/// </summary>
public static class CredentialsSecret
{
    /// <summary>The label every object the operator manages carries.</summary>
    public const string ManagedByLabel = "app.kubernetes.io/managed-by";

    /// <summary>The value of <see cref="ManagedByLabel"/>.</summary>
    public const string ManagedByValue = "iot-operator";

    /// <summary>Annotation on a Device: a new value asks for new credentials.</summary>
    public const string RotateAnnotation = "iotoperator.io/rotate-credentials";

    /// <summary>Annotation on a credentials Secret: the <see cref="RotateAnnotation"/> value its credentials were issued for.</summary>
    public const string RotatedForAnnotation = "iotoperator.io/rotated-for";

    /// <summary>Annotation on a credentials Secret of a disabled Device; the broker refuses such credentials.</summary>
    public const string DisabledAnnotation = "iotoperator.io/disabled";

    /// <summary>The per-namespace CA Secret (client certificates of Devices in certificate mode are signed by it).</summary>
    public const string CaSecretName = "iot-device-ca";

    /// <summary>MQTT username (the device id).</summary>
    public const string UsernameKey = "username";

    /// <summary>The password (password mode); only devices read it.</summary>
    public const string PasswordKey = "password";

    /// <summary>The password's salted hash (<see cref="DeviceCredentials"/> format); the only part the broker reads.</summary>
    public const string PasswordHashKey = "password.hash";

    /// <summary>Broker host.</summary>
    public const string HostKey = "host";

    /// <summary>Broker port (the TLS port in certificate mode).</summary>
    public const string PortKey = "port";

    /// <summary>MQTT client id (the device id).</summary>
    public const string ClientIdKey = "clientId";

    /// <summary>Client certificate, PEM (certificate mode).</summary>
    public const string TlsCrtKey = "tls.crt";

    /// <summary>Client key, PEM (certificate mode).</summary>
    public const string TlsKeyKey = "tls.key";

    /// <summary>CA certificate, PEM (certificate mode, and in the CA Secret).</summary>
    public const string CaCrtKey = "ca.crt";

    /// <summary>CA key, PEM (only in the CA Secret).</summary>
    public const string CaKeyKey = "ca.key";

    /// <summary>The name of the credentials Secret the operator issues for device <paramref name="deviceId"/>.</summary>
    public static string NameFor(string deviceId) => $"{deviceId}-credentials";
}
