using System.Collections.Concurrent;
using System.Text.Json;

using Iot.Api.Common;
using Iot.LocalCluster;
using Iot.Operator;
using Iot.Operator.Devices;
using Iot.Operator.Rooms;
using Iot.Operator.Workloads;
using Iot.Storage.Influx;
using Iot.Workloads;

using k8s;
using k8s.Autorest;

namespace Iot.Cli.Dev;

/// <summary>
/// The whole platform in this process (<c>iotctl dev</c>): a local API server with the CRDs and the examples, the
/// operator reconciling as in a cluster, every workload Deployment it creates running in-process
/// (<see cref="LocalWorkloadRunner"/>), and a simulated fleet. <see cref="DisposeAsync"/> stops everything and frees every port.
/// </summary>
public sealed class DevEnvironment : IAsyncDisposable
{
    private static readonly JsonSerializerOptions EndpointsJson = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase };
    private readonly LocalCluster.LocalCluster cluster;
    private readonly Kubernetes client;
    private readonly LocalWorkloadRunner runner;
    private readonly DevFleet? fleet;
    private readonly DevMetrics metrics;
    private readonly WorkloadPorts ports;
    private readonly CancellationTokenSource stopping = new();
    private readonly ConcurrentDictionary<string, string> tokens = new(StringComparer.Ordinal);
    private readonly List<Task> tasks = [];
    private readonly int clusterPort;
    private string? writtenEndpoints;

    private DevEnvironment(DevOptions options, LocalCluster.LocalCluster cluster, int mqttPort)
    {
        Options = options;
        this.cluster = cluster;
        clusterPort = cluster.Url.Port;
        client = cluster.CreateClient();
        ports = new WorkloadPorts(mqttPort);
        metrics = new DevMetrics(TimeProvider.System);
        runner = new LocalWorkloadRunner(client, options, ports, TimeProvider.System);
        fleet = options.Simulator ? new DevFleet(client, runner, ports, options, TimeProvider.System) : null;
        var host = new OperatorHost(client, new OperatorOptions
        {
            LeaderElection = false,
            Devices = new DeviceControllerOptions { BrokerHost = "127.0.0.1", BrokerPort = mqttPort },
            Workloads = new WorkloadOptions { InfluxDbUrl = options.InfluxDbUrl },
            Retention = new RetentionOptions { InfluxDb = options.InfluxDbUrl is { } url ? new InfluxOptions { Url = new Uri(url) } : null },
        }, TimeProvider.System, options.Loggers);
        tasks.Add(host.RunAsync(stopping.Token));
        tasks.Add(runner.RunAsync(stopping.Token));
        if (fleet is not null)
        {
            tasks.Add(fleet.RunAsync(stopping.Token));
        }
    }

    /// <summary>The options it runs with.</summary>
    public DevOptions Options { get; }

    /// <summary>The local API server's URL.</summary>
    public Uri ClusterUrl => cluster.Url;

    /// <summary>The kubeconfig for kubectl (absolute path).</summary>
    public string KubeconfigPath => cluster.KubeconfigPath!;

    /// <summary>Where <see cref="WriteEndpointsAsync"/> writes.</summary>
    public string EndpointsPath => Path.GetFullPath(Path.Combine(Options.Directory, "endpoints.json"));

    /// <summary>Every loopback port dev mode listens on (API server, brokers, components' API and management ports).</summary>
    public IReadOnlyCollection<int> Ports => [clusterPort, .. ports.All];

    /// <summary>
    /// Starts the platform: wipes <c>&lt;dir&gt;/data</c> (the local cluster starts empty too), serves the API with the
    /// CRDs and examples, and starts the operator, the workload runner and the simulator. Returns without waiting for
    /// the workloads; follow them with <see cref="GetEndpointsAsync"/>.
    /// </summary>
    public static async Task<DevEnvironment> StartAsync(DevOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var data = Path.Combine(options.Directory, "data");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        Directory.CreateDirectory(options.Directory);
        var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions
        {
            Port = 0,
            KubeconfigPath = Path.GetFullPath(Path.Combine(options.Directory, "kubeconfig")),
            CrdDirectory = options.CrdDirectory,
            ApplyDirectory = options.ExamplesDirectory,
        }, cancellationToken).ConfigureAwait(false);
        try
        {
            return new DevEnvironment(options, cluster, options.MqttPort > 0 ? options.MqttPort : WorkloadPorts.FreePort());
        }
        catch
        {
            await cluster.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The figures of the console summary now.</summary>
    public DevSummary ReadSummary() => metrics.Read();

    /// <summary>Where the running components listen, per namespace, with each namespace's API token.</summary>
    public async Task<DevEndpoints> GetEndpointsAsync(CancellationToken cancellationToken = default)
    {
        var namespaces = new SortedDictionary<string, NamespaceEndpoints>(StringComparer.Ordinal);
        foreach (var group in runner.Running.Where(w => w.Ready).GroupBy(w => w.Namespace))
        {
            RunningWorkload? Find(string component) => group.FirstOrDefault(w => w.Component == component);
            string? Url(string component, string path = "") => Find(component) is { } w ? $"http://127.0.0.1:{w.HttpPort}{path}" : null;
            var broker = Find(WorkloadComponents.Broker);
            namespaces[group.Key] = new NamespaceEndpoints(
                broker is null ? null : $"127.0.0.1:{ports.Mqtt(group.Key)}",
                Url(WorkloadComponents.Analytics),
                Url(WorkloadComponents.Notify),
                Find(WorkloadComponents.Notify) is { } notify ? $"ws://127.0.0.1:{notify.HttpPort}/ws/notifications" : null,
                Url(WorkloadComponents.Ingest),
                group.OrderBy(w => w.Component != WorkloadComponents.Broker).Select(w => $"http://127.0.0.1:{w.MetricsPort}/metrics").FirstOrDefault(),
                await TokenAsync(group.Key, cancellationToken).ConfigureAwait(false));
        }

        var first = namespaces.Values.FirstOrDefault();
        return new DevEndpoints(first?.Mqtt, first?.Analytics, first?.Notify, first?.WebSocket, first?.Ingest, first?.Metrics, first?.Token, KubeconfigPath, namespaces);
    }

    /// <summary>Writes <c>&lt;dir&gt;/endpoints.json</c> when the endpoints changed; returns them.</summary>
    public async Task<DevEndpoints> WriteEndpointsAsync(CancellationToken cancellationToken = default)
    {
        var endpoints = await GetEndpointsAsync(cancellationToken).ConfigureAwait(false);
        var json = JsonSerializer.Serialize(endpoints, EndpointsJson);
        if (json != writtenEndpoints)
        {
            await File.WriteAllTextAsync(EndpointsPath, json + "\n", cancellationToken).ConfigureAwait(false);
            writtenEndpoints = json;
        }

        return endpoints;
    }

    /// <summary>Stops the simulator, the operator and every component, then the API server.</summary>
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        try
        {
            await Task.WhenAll(tasks).ConfigureAwait(false);
        }
        catch (Exception) when (stopping.IsCancellationRequested)
        {
            // Stopping: whatever ended a loop, the components, the simulator and the API server are still to be stopped.
        }

        if (fleet is not null)
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
        }

        await runner.DisposeAsync().ConfigureAwait(false);
        metrics.Dispose();
        client.Dispose();
        await cluster.DisposeAsync().ConfigureAwait(false);
        stopping.Dispose();
    }

    private async Task<string?> TokenAsync(string ns, CancellationToken cancellationToken)
    {
        if (tokens.TryGetValue(ns, out var token))
        {
            return token;
        }

        try
        {
            var secret = await client.CoreV1.ReadNamespacedSecretAsync(WorkloadSecrets.ApiToken, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (secret.Data?.TryGetValue(WorkloadSecrets.TokenKey, out var value) == true)
            {
                return tokens[ns] = System.Text.Encoding.UTF8.GetString(value);
            }
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
        }

        return null;
    }
}
