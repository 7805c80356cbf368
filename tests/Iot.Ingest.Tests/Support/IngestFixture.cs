using System.Text;

using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Manifests;
using Iot.Kube;
using Iot.LocalCluster;
using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

using k8s;
using k8s.Models;

namespace Iot.Ingest.Tests.Support;

/// <summary>
/// One Mosquitto, one influxd and one local Kubernetes API server for the "ingest" collection; each test takes its own
/// namespace (= InfluxDB database, with <c>default_raw</c> and a raw policy per room) and runs its own ingest host.
/// </summary>
public sealed class IngestFixture : IAsyncLifetime
{
    private int namespaces;

    public MosquittoServer Broker { get; private set; } = null!;

    public InfluxDbServer Influx { get; private set; } = null!;

    public InfluxClient InfluxClient { get; private set; } = null!;

    public LocalCluster.LocalCluster Cluster { get; private set; } = null!;

    public Kubernetes Kube { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var broker = MosquittoServer.StartAsync(["max_queued_messages 100000"]);
        var influx = InfluxDbServer.StartAsync();
        var cluster = LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        try
        {
            await Task.WhenAll(broker, influx, cluster);
        }
        finally
        {
            Broker = broker.IsCompletedSuccessfully ? broker.Result : null!;
            Influx = influx.IsCompletedSuccessfully ? influx.Result : null!;
            Cluster = cluster.IsCompletedSuccessfully ? cluster.Result : null!;
        }

        InfluxClient = new InfluxClient(new InfluxOptions { Url = Influx.Url });
        Kube = Cluster.CreateClient();
    }

    /// <summary>A fresh namespace with its database and the raw policies of <paramref name="rooms"/> and of devices without a room.</summary>
    public async Task<string> CreateNamespaceAsync(params string[] rooms)
    {
        var ns = $"plant-{Interlocked.Increment(ref namespaces)}";
        await Kube.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = ns } });
        await InfluxClient.CreateDatabaseAsync(ns);
        foreach (var policy in rooms.Select(r => RetentionPolicyNames.Raw(r)).Append(RetentionPolicyNames.DefaultRaw))
        {
            await InfluxClient.CreateRetentionPolicyAsync(ns, new RetentionPolicy(policy, TimeSpan.FromDays(30), TimeSpan.Zero));
        }

        return ns;
    }

    /// <summary>Creates a Device from YAML without apiVersion and kind.</summary>
    public Task<Device> CreateDeviceAsync(string ns, string yaml) =>
        new ResourceClient<Device>(Kube, KubeResource.For<Device>()).CreateAsync(Read<Device>(yaml, ns));

    /// <summary>Creates an EdgeRule from YAML without apiVersion and kind.</summary>
    public Task<EdgeRule> CreateRuleAsync(string ns, string yaml) =>
        new ResourceClient<EdgeRule>(Kube, KubeResource.For<EdgeRule>()).CreateAsync(Read<EdgeRule>(yaml, ns));

    /// <summary>The credentials Secret the operator would issue for <paramref name="device"/>, with the hash of <paramref name="password"/>.</summary>
    public Task CreateCredentialsAsync(string ns, string device, string password) =>
        Kube.CoreV1.CreateNamespacedSecretAsync(
            new V1Secret
            {
                Metadata = new V1ObjectMeta { Name = CredentialsSecret.NameFor(device), NamespaceProperty = ns },
                Data = new Dictionary<string, byte[]>
                {
                    [CredentialsSecret.UsernameKey] = Encoding.UTF8.GetBytes(device),
                    [CredentialsSecret.PasswordHashKey] = Encoding.UTF8.GetBytes(DeviceCredentials.Hash(password)),
                },
            },
            ns);

    /// <summary>The rows of an InfluxQL query (the first series), as column name to value.</summary>
    public async Task<List<Dictionary<string, object?>>> QueryAsync(string ns, string query)
    {
        var series = await InfluxClient.QueryAsync(ns, query);
        return series is [var first, ..]
            ? [.. first.Values.Select(row => first.Columns.Select((c, i) => (c, row[i])).ToDictionary(p => p.c, p => p.Item2))]
            : [];
    }

    public async Task DisposeAsync()
    {
        Kube?.Dispose();
        InfluxClient?.Dispose();
        if (Cluster is not null)
        {
            await Cluster.DisposeAsync();
        }

        if (Influx is not null)
        {
            await Influx.DisposeAsync();
        }

        if (Broker is not null)
        {
            await Broker.DisposeAsync();
        }
    }

    private static T Read<T>(string yaml, string ns)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var item = KubernetesJson.Deserialize<T>(ManifestReader.Read(yaml, "test").Single().Content.ToJsonString());
        item.Metadata.NamespaceProperty = ns;
        return item;
    }
}

[CollectionDefinition(Name)]
public sealed class IngestCollection : ICollectionFixture<IngestFixture>
{
    public const string Name = "ingest";
}
