using System.Globalization;
using System.Text;

namespace Iot.Devices.Client;

/// <summary>
/// How a <see cref="DeviceClient"/> connects: where, as whom, and its reconnect and offline-buffer behaviour. Build it
/// from the operator's credentials Secret with <see cref="FromSecretData"/>, <see cref="FromDirectory"/> (a mounted
/// Secret) or <see cref="FromEnvironment"/>.
/// </summary>
public sealed record DeviceClientOptions
{
    /// <summary>Broker host.</summary>
    public required string Host { get; init; }

    /// <summary>Broker port (1883 plain; the TLS port, 8883 by default, in certificate mode).</summary>
    public int Port { get; init; } = 1883;

    /// <summary>The device id: MQTT client id and topic segment.</summary>
    public required string DeviceId { get; init; }

    /// <summary>The password (password mode); null in certificate mode.</summary>
    public string? Password { get; init; }

    /// <summary>The client certificate, PEM (certificate mode).</summary>
    public string? ClientCertificatePem { get; init; }

    /// <summary>The client certificate's key, PEM.</summary>
    public string? ClientKeyPem { get; init; }

    /// <summary>The CA certificate, PEM, the broker's certificate must chain to; setting it (or a client certificate) turns TLS on.</summary>
    public string? CaCertificatePem { get; init; }

    /// <summary>Use TLS even without a CA or client certificate (the system's trust store then checks the broker).</summary>
    public bool UseTls { get; init; }

    /// <summary>How many messages are kept while disconnected; when full, the oldest is dropped (and counted).</summary>
    public int OfflineBufferCapacity { get; init; } = 10_000;

    /// <summary>The first delay before reconnecting; it doubles, with jitter, up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>The longest delay between reconnect attempts.</summary>
    public TimeSpan MaxReconnectDelay { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>MQTT keep-alive.</summary>
    public TimeSpan KeepAlive { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>The clock for timestamps and reconnect delays.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>Options from a credentials Secret's data (keys as in the Secret, values as bytes).</summary>
    public static DeviceClientOptions FromSecretData(IReadOnlyDictionary<string, byte[]> data)
    {
        ArgumentNullException.ThrowIfNull(data);
        return FromValues(key => data.TryGetValue(key, out var value) ? Encoding.UTF8.GetString(value) : null, "the Secret");
    }

    /// <summary>Options from a directory holding one file per Secret key (a Secret mounted as a volume).</summary>
    public static DeviceClientOptions FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Credentials directory '{directory}' does not exist.");
        }

        return FromValues(key => File.Exists(Path.Combine(directory, key)) ? File.ReadAllText(Path.Combine(directory, key)).Trim('\n', '\r') : null, $"directory {directory}");
    }

    /// <summary>Options from environment variables (<see cref="CredentialKeys.EnvironmentVariable"/>).</summary>
    public static DeviceClientOptions FromEnvironment() =>
        FromValues(key => Environment.GetEnvironmentVariable(CredentialKeys.EnvironmentVariable(key)), "the environment (IOT_DEVICE_*)");

    private static DeviceClientOptions FromValues(Func<string, string?> read, string source)
    {
        var id = read(CredentialKeys.ClientId) ?? read(CredentialKeys.Username)
            ?? throw new InvalidOperationException($"No {CredentialKeys.ClientId} or {CredentialKeys.Username} in {source}.");
        var host = read(CredentialKeys.Host) ?? throw new InvalidOperationException($"No {CredentialKeys.Host} in {source}.");
        var portText = read(CredentialKeys.Port);
        var port = 1883;
        if (portText is not null && !int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out port))
        {
            throw new InvalidOperationException($"{CredentialKeys.Port} in {source} is not a port number: '{portText}'.");
        }

        var options = new DeviceClientOptions
        {
            Host = host,
            Port = port,
            DeviceId = id,
            Password = read(CredentialKeys.Password),
            ClientCertificatePem = read(CredentialKeys.TlsCrt),
            ClientKeyPem = read(CredentialKeys.TlsKey),
            CaCertificatePem = read(CredentialKeys.CaCrt),
        };
        if (options.Password is null && options.ClientCertificatePem is null)
        {
            throw new InvalidOperationException($"Neither {CredentialKeys.Password} nor {CredentialKeys.TlsCrt} in {source}.");
        }

        return options;
    }

    /// <inheritdoc />
    public override string ToString() => $"DeviceClientOptions {{ DeviceId = {DeviceId}, Host = {Host}, Port = {Port} }}";
}
