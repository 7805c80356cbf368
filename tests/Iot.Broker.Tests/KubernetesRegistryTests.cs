using System.Text;

using Iot.Api.Devices;
using Iot.Broker.Registry;
using Iot.Broker.Status;
using Iot.Broker.Tests.Support;
using Iot.Kube;
using Iot.LocalCluster;

using k8s;
using k8s.Models;

using MQTTnet;

namespace Iot.Broker.Tests;

/// <summary>The registry over a real (local) API server: Devices and Secrets created directly, no operator.</summary>
public sealed class KubernetesRegistryTests : IAsyncLifetime
{
    private const string Namespace = "plant";
    private LocalCluster.LocalCluster cluster = null!;
    private Kubernetes client = null!;

    public async Task InitializeAsync()
    {
        cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_device_with_its_credentials_secret_can_connect_and_is_reported_online()
    {
        await CreateDeviceAsync("thermo-1", "pw-1");
        var registry = new KubernetesDeviceRegistry(client, Namespace);
        using var stop = new CancellationTokenSource();
        var running = registry.RunAsync(stop.Token);
        await registry.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await using var broker = await TestBroker.StartAsync(sink: new KubernetesConnectionStatusSink(client, Namespace), registry: registry);

        Assert.Equal(DeviceAuthMode.Password, registry.Find("thermo-1")?.Mode);
        using var device = await ConnectAsync(broker.Port, "thermo-1", "pw-1");
        Assert.True(device.IsConnected);

        var devices = new ResourceClient<Device>(client, KubeResource.For<Device>());
        await Eventually(async () => (await devices.GetAsync("thermo-1", Namespace))?.Status?.Connection?.Online == true, "status.connection.online is true");
        var written = await devices.GetAsync("thermo-1", Namespace);
        Assert.NotNull(written!.Status!.Connection!.Since);

        await device.DisconnectAsync();
        await Eventually(async () => (await devices.GetAsync("thermo-1", Namespace))?.Status?.Connection?.Online == false, "status.connection.online is false");
        await stop.CancelAsync();
        await running;
    }

    [Fact]
    public async Task Disabling_rotating_and_deleting_take_effect_without_a_restart()
    {
        await CreateDeviceAsync("thermo-1", "pw-1");
        await CreateDeviceAsync("thermo-2", "pw-2");
        await CreateDeviceAsync("thermo-3", "pw-3");
        var registry = new KubernetesDeviceRegistry(client, Namespace);
        using var stop = new CancellationTokenSource();
        var running = registry.RunAsync(stop.Token);
        await registry.WaitForSyncAsync(stop.Token).WaitAsync(TimeSpan.FromSeconds(10));
        await using var broker = await TestBroker.StartAsync(registry: registry);
        using var one = await ConnectAsync(broker.Port, "thermo-1", "pw-1");
        using var two = await ConnectAsync(broker.Port, "thermo-2", "pw-2");
        using var three = await ConnectAsync(broker.Port, "thermo-3", "pw-3");

        var secrets = new ResourceClient<V1Secret>(client, new KubeResource("", "v1", "secrets", true));
        await secrets.MergePatchAsync(CredentialsSecret.NameFor("thermo-1"), Namespace, new { metadata = new { annotations = new Dictionary<string, string> { [CredentialsSecret.DisabledAnnotation] = "true" } } });
        await secrets.MergePatchAsync(CredentialsSecret.NameFor("thermo-2"), Namespace, new { data = new Dictionary<string, byte[]> { [CredentialsSecret.PasswordHashKey] = Encoding.UTF8.GetBytes(DeviceCredentials.Hash("pw-2-rotated", 10)) } });
        await new ResourceClient<Device>(client, KubeResource.For<Device>()).DeleteAsync("thermo-3", Namespace);

        await Eventually(() => Task.FromResult(!one.IsConnected && !two.IsConnected && !three.IsConnected), "all three are disconnected");
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(broker.Port, "thermo-1", "pw-1"));
        await Assert.ThrowsAnyAsync<Exception>(() => ConnectAsync(broker.Port, "thermo-2", "pw-2"));
        using var rotated = await ConnectAsync(broker.Port, "thermo-2", "pw-2-rotated");
        Assert.Null(registry.Find("thermo-3"));
        await stop.CancelAsync();
        await running;
    }

    private async Task CreateDeviceAsync(string id, string password)
    {
        var devices = new ResourceClient<Device>(client, KubeResource.For<Device>());
        await devices.CreateAsync(new Device { Metadata = new V1ObjectMeta { Name = id, NamespaceProperty = Namespace }, Spec = new DeviceSpec { Type = "thermostat" } });
        await devices.MergePatchStatusAsync(id, Namespace, new { status = new { credentialsSecret = CredentialsSecret.NameFor(id) } });
        await new ResourceClient<V1Secret>(client, new KubeResource("", "v1", "secrets", true)).CreateAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = CredentialsSecret.NameFor(id), NamespaceProperty = Namespace },
            Data = new Dictionary<string, byte[]>
            {
                [CredentialsSecret.UsernameKey] = Encoding.UTF8.GetBytes(id),
                [CredentialsSecret.PasswordKey] = Encoding.UTF8.GetBytes(password),
                [CredentialsSecret.PasswordHashKey] = Encoding.UTF8.GetBytes(DeviceCredentials.Hash(password, 10)),
            },
        });
    }

    private static async Task<IMqttClient> ConnectAsync(int port, string id, string password)
    {
        var mqtt = new MqttClientFactory().CreateMqttClient();
        try
        {
            var result = await mqtt.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id).WithCredentials(id, password).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
            return result.ResultCode == MqttClientConnectResultCode.Success ? mqtt : throw new InvalidOperationException($"refused: {result.ResultCode}");
        }
        catch
        {
            mqtt.Dispose();
            throw;
        }
    }

    private static async Task Eventually(Func<Task<bool>> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"Timed out waiting until {because}");
            await Task.Delay(20);
        }
    }
}
