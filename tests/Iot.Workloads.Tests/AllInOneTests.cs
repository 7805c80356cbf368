using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

using Iot.Api.AlertRoutes;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Manifests;
using Iot.Devices.Client;
using Iot.Kube;
using Iot.LocalCluster;

using k8s;
using k8s.Models;

using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Iot.Workloads.Tests;

/// <summary>
/// The four components in one host, as `iot-workloads --component all` runs them, against a local API server: a device
/// with its own credentials publishes through our broker; ingest stores the telemetry (SQLite) and fires an EdgeRule;
/// notify delivers the alert to a real HTTP webhook; analytics serves the stored points.
/// </summary>
public sealed class AllInOneTests : IAsyncLifetime
{
    private const string Namespace = "plant";
    private const string Token = "api-token-0123456789";
    private const string InternalPassword = "internal-password";
    private const string DevicePassword = "device-password";

    private readonly TempDirectory directory = new();
    private readonly WebhookListener webhook = new();
    private readonly int mqttPort = FreePort.Next();
    private readonly int httpPort = FreePort.Next();
    private readonly int metricsPort = FreePort.Next();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private LocalCluster.LocalCluster cluster = null!;
    private Kubernetes kube = null!;
    private WebApplication host = null!;

    public async Task InitializeAsync()
    {
        cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        kube = cluster.CreateClient();
        await kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        await kube.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = "t1-login" },
                Data = new Dictionary<string, byte[]>
                {
                    [CredentialsSecret.UsernameKey] = Encoding.UTF8.GetBytes("t1"),
                    [CredentialsSecret.PasswordHashKey] = Encoding.UTF8.GetBytes(DeviceCredentials.Hash(DevicePassword, iterations: 10)),
                },
            },
            Namespace);
        await CreateAsync<Device>("""
            metadata: {name: t1, labels: {zone: north}}
            spec:
              type: thermostat
              auth: {existingSecret: t1-login}
              telemetry: [{name: temperature, type: number, min: -40, max: 125}]
            """);
        await CreateAsync<EdgeRule>("""
            metadata: {name: too-hot}
            spec:
              selector: {types: [thermostat]}
              condition: {threshold: {field: temperature, operator: ">", value: 50}}
              actions: [{alert: {severity: critical, summary: '{device} at {value}'}}]
            """);
        await CreateAsync<AlertRoute>($$$"""
            metadata: {name: oncall}
            spec:
              priority: 10
              matchers: ['severity="critical"']
              groupBy: [rule]
              groupWait: 0s
              receivers: [{name: hook, webhook: {url: '{{{webhook.Url}}}'}}]
            """);

        host = WorkloadHost.Build(new WorkloadLaunch(WorkloadComponents.All, new Dictionary<string, string?>
        {
            ["IOT_NAMESPACE"] = Namespace,
            ["IOT_MQTT_HOST"] = "127.0.0.1",
            ["IOT_MQTT_PORT"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["IOT_INTERNAL_USERNAME"] = "iot-internal",
            ["IOT_INTERNAL_PASSWORD"] = InternalPassword,
            ["IOT_API_TOKEN"] = Token,
        })
        {
            BindAddress = "127.0.0.1",
            HttpPort = httpPort,
            MetricsPort = metricsPort,
            DataDirectory = directory.Path,
            Overrides = new Dictionary<string, string?>
            {
                ["Broker:Port"] = mqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                ["Broker:TlsPort"] = "0",
                ["Ingest:Mqtt:ClientId"] = "ingest-test",
            },
            ConfigureServices = services => services.AddSingleton<IKubernetes>(cluster.CreateClient()),
        });
        await host.StartAsync();
    }

    [Fact]
    public async Task A_device_message_is_stored_served_and_alerts_through_the_webhook()
    {
        await Eventually.TrueAsync(async () => (await http.GetAsync(Url(metricsPort, "/readyz"))).IsSuccessStatusCode, "every component is ready");
        await using var device = new DeviceClient(new DeviceClientOptions { Host = "127.0.0.1", Port = mqttPort, DeviceId = "t1", Password = DevicePassword });
        await device.ConnectAsync();

        device.PublishTelemetry(new { temperature = 61.5 });
        await device.FlushAsync();

        var alert = await Eventually.ValueAsync(() => Task.FromResult(webhook.Bodies.FirstOrDefault()), "the webhook received the alert");
        Assert.Contains("too-hot", alert, StringComparison.Ordinal);
        Assert.Contains("t1", alert, StringComparison.Ordinal);
        var points = await Eventually.ValueAsync(
            async () => await GetJsonAsync(httpPort, "/sensors/t1/data") is { } body && body["points"]!.AsArray() is { Count: > 0 } stored ? stored : null,
            "analytics serves the stored point");
        Assert.Equal(61.5, points[0]!["values"]!["temperature"]!.GetValue<double>());
    }

    [Fact]
    public async Task Management_endpoints_are_on_the_metrics_port_and_the_APIs_on_the_HTTP_port_only()
    {
        await Eventually.TrueAsync(async () => (await http.GetAsync(Url(metricsPort, "/readyz"))).IsSuccessStatusCode, "every component is ready");

        var metrics = await http.GetStringAsync(Url(metricsPort, "/metrics"));
        Assert.Contains("iot_ingest_", metrics, StringComparison.Ordinal);
        Assert.Contains("iot_broker_", metrics, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Url(httpPort, "/metrics"))).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(Url(metricsPort, "/sensors"))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync(Url(httpPort, "/sensors"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(httpPort, "/alerts")).StatusCode); // notify's API, same port
    }

    public async Task DisposeAsync()
    {
        if (host is not null)
        {
            await host.StopAsync();
            await host.DisposeAsync();
        }

        kube?.Dispose();
        if (cluster is not null)
        {
            await cluster.DisposeAsync();
        }

        http.Dispose();
        await webhook.DisposeAsync();
        directory.Dispose();
    }

    private static string Url(int port, string path) => $"http://127.0.0.1:{port}{path}";

    private Task<HttpResponseMessage> SendAsync(int port, string path)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, Url(port, path));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        return http.SendAsync(request);
    }

    private async Task<JsonNode?> GetJsonAsync(int port, string path)
    {
        using var response = await SendAsync(port, path);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }

    private Task<T> CreateAsync<T>(string yaml)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var item = KubernetesJson.Deserialize<T>(ManifestReader.Read(yaml, "test").Single().Content.ToJsonString());
        item.Metadata.NamespaceProperty = Namespace;
        return new ResourceClient<T>(kube, KubeResource.For<T>()).CreateAsync(item);
    }
}
