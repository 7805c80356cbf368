namespace Iot.Devices.Client;

/// <summary>
/// The keys of the operator's credentials Secret (its documented layout), and the environment variables that carry the
/// same values: <c>IOT_DEVICE_</c> + the key in upper case with '.' replaced by '_' (<c>IOT_DEVICE_TLS_CRT</c>), and
/// <c>IOT_DEVICE_CLIENT_ID</c> for clientId.
/// </summary>
public static class CredentialKeys
{
    /// <summary>MQTT username (the device id).</summary>
    public const string Username = "username";

    /// <summary>The password (password mode).</summary>
    public const string Password = "password";

    /// <summary>Broker host.</summary>
    public const string Host = "host";

    /// <summary>Broker port.</summary>
    public const string Port = "port";

    /// <summary>MQTT client id (the device id).</summary>
    public const string ClientId = "clientId";

    /// <summary>Client certificate, PEM (certificate mode).</summary>
    public const string TlsCrt = "tls.crt";

    /// <summary>Client key, PEM (certificate mode).</summary>
    public const string TlsKey = "tls.key";

    /// <summary>The CA certificate, PEM: trust anchor for the broker's certificate.</summary>
    public const string CaCrt = "ca.crt";

    /// <summary>The prefix of the environment variables.</summary>
    public const string EnvironmentPrefix = "IOT_DEVICE_";

    /// <summary>Every key.</summary>
    public static IReadOnlyList<string> All { get; } = [Username, Password, Host, Port, ClientId, TlsCrt, TlsKey, CaCrt];

    /// <summary>The environment variable of <paramref name="key"/>.</summary>
    public static string EnvironmentVariable(string key) =>
        EnvironmentPrefix + (key == ClientId ? "CLIENT_ID" : key.Replace('.', '_').ToUpperInvariant());
}
