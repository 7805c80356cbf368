using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

using Iot.Api.Devices;
using Iot.Broker.Registry;
using Iot.Broker.Tests.Support;
using Iot.Devices.Client;
using Iot.Operator.Devices;

using static Iot.Broker.Tests.Support.MosquittoClients;

namespace Iot.Broker.Tests;

/// <summary>The device library against our broker: telemetry format, commands, reconnects, the offline buffer, TLS.</summary>
public sealed class DeviceClientTests
{
    [Fact]
    public async Task Telemetry_uses_the_seed_format_and_state_is_retained()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var workload = await WorkloadAsync(broker.Port, "devices/#");
        await using var device = new DeviceClient(Options(broker, "thermo-1"));
        await device.ConnectAsync();

        device.PublishTelemetry(new Dictionary<string, object> { ["temperature"] = 21.5 }, new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.Zero));
        device.PublishState(new { mode = "heat" });
        await device.FlushAsync();

        await workload.WaitForMessagesAsync(2);
        Assert.Equal("""devices/thermo-1/telemetry {"device_id":"thermo-1","timestamp":"2026-01-02T03:04:05.000Z","data":{"temperature":21.5}}""", workload.Messages[0]);
        Assert.Equal("""devices/thermo-1/state {"mode":"heat"}""", workload.Messages[1]);
        await using var later = await WorkloadAsync(broker.Port, "devices/+/state");
        await later.WaitForMessagesAsync(1);
    }

    [Fact]
    public async Task Commands_arrive_as_typed_callbacks()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var device = new DeviceClient(Options(broker, "thermo-1"));
        var received = new TaskCompletionSource<(Setpoint? Payload, DeviceCommand Command)>();
        device.OnCommand<Setpoint>("setpoint", (payload, command, _) =>
        {
            received.TrySetResult((payload, command));
            return Task.CompletedTask;
        });
        await device.ConnectAsync();

        var (exit, output) = await PublishAsync(broker.Port, "-V", "5", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1",
            "-t", "devices/thermo-1/command", "-m", """{"name":"setpoint","payload":{"value":19.5},"id":"c-1"}""");

        Assert.True(exit == 0, output);
        var (payload, command) = await received.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(19.5, payload!.Value);
        Assert.Equal("c-1", command.Id);
    }

    [Fact]
    public async Task The_client_reconnects_across_a_broker_restart_and_replays_its_buffer_in_order()
    {
        var first = await TestBroker.StartAsync();
        var port = first.Port;
        var options = Options(first, "thermo-1") with { InitialReconnectDelay = TimeSpan.FromMilliseconds(50), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) };
        await using var device = new DeviceClient(options);
        await device.ConnectAsync();
        await first.DisposeAsync();
        while (device.IsConnected)
        {
            await Task.Delay(10);
        }

        for (var i = 1; i <= 5; i++)
        {
            device.PublishTelemetry(new { n = i });
        }

        // The new broker knows the device only once a subscriber is listening, so the replay cannot go unobserved.
        await using var second = await TestBroker.StartAsync(o => o.Port = port);
        await using var workload = await WorkloadAsync(port, "devices/+/telemetry");
        second.Registry.Set(new DeviceRecord("thermo-1", DeviceAuthMode.Password, DeviceCredentials.Hash(options.Password!, 10), Disabled: false));

        await workload.WaitForMessagesAsync(5);
        var numbers = workload.Messages.Select(m => JsonDocument.Parse(m[(m.IndexOf(' ', StringComparison.Ordinal) + 1)..]).RootElement.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal([1, 2, 3, 4, 5], numbers);
        Assert.Equal(0, device.DroppedCount);
        Assert.True(device.IsConnected);
    }

    [Fact]
    public async Task A_full_offline_buffer_drops_the_oldest_messages_and_counts_them()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var workload = await WorkloadAsync(broker.Port, "devices/+/telemetry");
        await using var device = new DeviceClient(Options(broker, "thermo-1") with { OfflineBufferCapacity = 3 });

        for (var i = 1; i <= 5; i++)
        {
            device.PublishTelemetry(new { n = i });
        }

        Assert.Equal(2, device.DroppedCount);
        await device.ConnectAsync();
        await workload.WaitForMessagesAsync(3);
        Assert.All(workload.Messages.Zip([3, 4, 5]), pair => Assert.Contains($"\"n\":{pair.Second}", pair.First, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Wrong_credentials_fail_the_first_connect_with_the_brokers_reason()
    {
        await using var broker = await TestBroker.StartAsync();
        await using var device = new DeviceClient(Options(broker, "thermo-1") with { Password = "wrong" });

        var error = await Assert.ThrowsAsync<DeviceConnectionException>(() => device.ConnectAsync());

        Assert.Equal(MQTTnet.MqttClientConnectResultCode.BadUserNameOrPassword, error.ResultCode);
    }

    [Fact]
    public async Task A_certificate_mode_device_connects_over_tls_with_a_client_certificate_signed_by_the_namespace_ca()
    {
        using var directory = new TempDirectory();
        var now = DateTimeOffset.UtcNow;
        var ca = DeviceCertificateAuthority.CreateCa("plant", now);
        var (serverCrt, serverKey) = ServerCertificate(directory);
        var registry = new InMemoryDeviceRegistry { ClientCertificateAuthority = X509Certificate2.CreateFromPem(ca.CertificatePem) };
        registry.Set(new DeviceRecord("meter-1", DeviceAuthMode.Certificate, null, Disabled: false));
        var tlsPort = FreePort.Next();
        await using var broker = await TestBroker.StartAsync(o => { o.TlsPort = tlsPort; o.TlsCertificatePath = serverCrt; o.TlsKeyPath = serverKey; }, registry: registry);
        var client = DeviceCertificateAuthority.IssueClientCertificate(ca, "meter-1", now);
        var intruder = DeviceCertificateAuthority.IssueClientCertificate(DeviceCertificateAuthority.CreateCa("elsewhere", now), "meter-1", now);

        await using var device = new DeviceClient(new DeviceClientOptions
        {
            Host = "localhost",
            Port = tlsPort,
            DeviceId = "meter-1",
            ClientCertificatePem = client.CertificatePem,
            ClientKeyPem = client.KeyPem,
            CaCertificatePem = File.ReadAllText(serverCrt),
        });
        await device.ConnectAsync();
        Assert.True(device.IsConnected);

        await using var untrusted = new DeviceClient(new DeviceClientOptions
        {
            Host = "localhost",
            Port = tlsPort,
            DeviceId = "meter-1",
            ClientCertificatePem = intruder.CertificatePem,
            ClientKeyPem = intruder.KeyPem,
            CaCertificatePem = File.ReadAllText(serverCrt),
        });
        await Assert.ThrowsAsync<DeviceConnectionException>(() => untrusted.ConnectAsync());
        Assert.True(broker.Counter("iot_broker_auth_failures_total", "reason=certificate") >= 1);
    }

    [Fact]
    public void Options_read_the_credentials_secret_layout_from_data_a_directory_or_the_environment()
    {
        Assert.Equal([CredentialsSecret.UsernameKey, CredentialsSecret.PasswordKey, CredentialsSecret.HostKey, CredentialsSecret.PortKey, CredentialsSecret.ClientIdKey, CredentialsSecret.TlsCrtKey, CredentialsSecret.TlsKeyKey, CredentialsSecret.CaCrtKey], CredentialKeys.All);
        var data = new Dictionary<string, byte[]>
        {
            ["username"] = "thermo-1"u8.ToArray(),
            ["clientId"] = "thermo-1"u8.ToArray(),
            ["password"] = "secret"u8.ToArray(),
            ["host"] = "iot-broker.plant.svc"u8.ToArray(),
            ["port"] = "1883"u8.ToArray(),
        };
        var fromSecret = DeviceClientOptions.FromSecretData(data);
        using var directory = new TempDirectory();
        foreach (var (key, value) in data)
        {
            directory.Write(key, System.Text.Encoding.UTF8.GetString(value) + "\n");
        }

        var fromDirectory = DeviceClientOptions.FromDirectory(directory.Path);

        Assert.Equal(("thermo-1", "secret", "iot-broker.plant.svc", 1883), (fromSecret.DeviceId, fromSecret.Password, fromSecret.Host, fromSecret.Port));
        Assert.Equal(fromSecret, fromDirectory);
        Assert.Equal("IOT_DEVICE_TLS_CRT", CredentialKeys.EnvironmentVariable("tls.crt"));
        Assert.Equal("IOT_DEVICE_CLIENT_ID", CredentialKeys.EnvironmentVariable("clientId"));
        Assert.Throws<InvalidOperationException>(() => DeviceClientOptions.FromSecretData(new Dictionary<string, byte[]> { ["username"] = "x"u8.ToArray() }));
    }

    private static DeviceClientOptions Options(TestBroker broker, string id) => new()
    {
        Host = "127.0.0.1",
        Port = broker.Port,
        DeviceId = id,
        Password = broker.AddDevice(id),
    };

    private static async Task<Subscriber> WorkloadAsync(int port, string filter)
    {
        var subscriber = Subscribe(port, "-i", $"workload-{Guid.NewGuid():N}", "-u", "iot-internal", "-P", TestBroker.InternalPassword, "-q", "1", "-V", "5", "-t", filter);
        await subscriber.WaitForSubscribedAsync();
        return subscriber;
    }

    private static (string Crt, string Key) ServerCertificate(TempDirectory directory)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(certificateAuthority: true, false, 0, true));
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddDays(1));
        return (directory.Write("tls.crt", certificate.ExportCertificatePem()), directory.Write("tls.key", key.ExportPkcs8PrivateKeyPem()));
    }

    private sealed record Setpoint(double Value);
}
