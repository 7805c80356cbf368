using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

using Iot.Api;
using Iot.Api.Manifests;
using Iot.Cli.Dev;

using k8s;

namespace Iot.Cli.Tests;

/// <summary>
/// <c>iotctl dev</c> in-process: the example building comes up Ready with every workload running locally, simulated
/// telemetry is stored and served, a newly applied EdgeRule fires and its alert reaches a real webhook through a newly
/// applied AlertRoute; disposing leaves no port in use.
/// </summary>
public sealed class DevEnvironmentTests : IAsyncLifetime
{
    private const string Namespace = "building-a";

    private readonly TempDirectory directory = new();
    private readonly WebhookListener webhook = new();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private DevEnvironment? dev;

    public async Task InitializeAsync() => dev = await DevEnvironment.StartAsync(new DevOptions
    {
        Directory = directory.Path,
        CrdDirectory = RepositoryRoot.Combine("crds"),
        ExamplesDirectory = RepositoryRoot.Combine("examples"),
        Rate = 5,
        FleetRefresh = TimeSpan.FromMilliseconds(500),
    });

    [Fact]
    public async Task Dev_mode_runs_the_examples_stores_telemetry_delivers_a_new_rules_alert_and_frees_its_ports()
    {
        using var kube = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(dev!.KubeconfigPath));
        await Eventually.TrueAsync(() => ExampleReadiness.EveryObjectIsReadyAsync(kube, Namespace), "every example Device, Room, EdgeRule and AlertRoute is Ready (or Disabled)");

        var endpoints = await Eventually.ValueAsync(
            async () => await dev.WriteEndpointsAsync() is { Analytics: not null, Notify: not null, Token: not null, Mqtt: not null } e ? e : null,
            "broker, analytics and notify run and the API token is issued");
        var written = JsonNode.Parse(await File.ReadAllTextAsync(dev.EndpointsPath))!;
        Assert.Equal(endpoints.Mqtt, written["mqtt"]!.GetValue<string>());
        Assert.Equal(endpoints.Token, written["namespaces"]![Namespace]!["token"]!.GetValue<string>());

        var points = await Eventually.ValueAsync(
            async () => await GetJsonAsync($"{endpoints.Analytics}/sensors/thermo-101/data", endpoints.Token!) is { } body && body["points"]!.AsArray() is { Count: > 0 } stored ? stored : null,
            "analytics serves thermo-101's simulated telemetry");
        Assert.NotNull(points[0]!["values"]!["temperature"]);
        var metrics = await http.GetStringAsync(endpoints.Metrics);
        Assert.DoesNotContain(metrics.Split('\n'), l => l.StartsWith("iot_ingest_messages_total{", StringComparison.Ordinal) && !l.Contains("result=\"accepted\"", StringComparison.Ordinal));

        using var notifications = new ClientWebSocket();
        await notifications.ConnectAsync(new Uri($"{endpoints.WebSocket}?access_token={endpoints.Token}"), CancellationToken.None);
        var streamed = ReceiveTextAsync(notifications);

        await CreateAsync(kube, "edgerules", """
            apiVersion: iotoperator.io/v1alpha1
            kind: EdgeRule
            metadata: {name: any-temperature, namespace: building-a}
            spec:
              selector: {types: [thermostat]}
              condition: {threshold: {field: temperature, operator: ">", value: -100}}
              actions: [{alert: {severity: critical, summary: '{device} reports {value}', labels: {team: dev-test}}}]
            """);
        await CreateAsync(kube, "alertroutes", $$$"""
            apiVersion: iotoperator.io/v1alpha1
            kind: AlertRoute
            metadata: {name: test-hook, namespace: building-a}
            spec:
              priority: 1
              matchers: ['team="dev-test"']
              groupBy: [rule]
              groupWait: 0s
              receivers: [{name: hook, webhook: {url: '{{{webhook.Url}}}'}}]
            """);

        var alert = await Eventually.ValueAsync(() => Task.FromResult(webhook.Bodies.FirstOrDefault()), "the new rule's alert reaches the webhook");
        Assert.Contains("any-temperature", alert, StringComparison.Ordinal);
        Assert.Contains("any-temperature", await streamed.WaitAsync(Eventually.Timeout), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => dev.ReadSummary() is { RuleFirings: > 0, AlertsDelivered: > 0, DevicesOnline: > 0 }, "the summary counts the firing, the delivery and the devices online");

        var ports = dev.Ports;
        await dev.DisposeAsync();
        dev = null;
        Assert.All(ports, port =>
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start(); // throws if anything still listens there
        });
    }

    public async Task DisposeAsync()
    {
        if (dev is not null)
        {
            await dev.DisposeAsync();
        }

        http.Dispose();
        await webhook.DisposeAsync();
        directory.Dispose();
    }

    private static async Task<string> ReceiveTextAsync(ClientWebSocket socket)
    {
        var buffer = new byte[64 * 1024];
        var received = await socket.ReceiveAsync(buffer, CancellationToken.None);
        return Encoding.UTF8.GetString(buffer, 0, received.Count);
    }

    private static Task CreateAsync(Kubernetes kube, string plural, string yaml) =>
        kube.CustomObjects.CreateNamespacedCustomObjectAsync(ManifestReader.Read(yaml, "test").Single().Content, IotApi.Group, IotApi.Version, Namespace, plural);

    private async Task<JsonNode?> GetJsonAsync(string url, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await http.SendAsync(request);
        return response.IsSuccessStatusCode ? JsonNode.Parse(await response.Content.ReadAsStringAsync()) : null;
    }
}
