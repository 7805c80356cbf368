using System.Security.Cryptography.X509Certificates;
using System.Text.Json;

using Iot.Api;
using Iot.LocalCluster;
using Iot.LocalCluster.Http;
using Iot.Operator;

using k8s;

namespace Iot.Chart.Tests.Rbac;

/// <summary>
/// The operator (<see cref="OperatorHost"/>) running against a local cluster holding the example building, on a client of
/// its own whose User-Agent tells its requests apart from the test's in <see cref="LocalCluster.LocalCluster.RequestLog"/>.
/// </summary>
internal sealed class OperatorRun : IAsyncDisposable
{
    public const string Building = "building-a";

    private const string UserAgent = "iot-operator-rbac-test";

    private readonly CancellationTokenSource stop = new(TimeSpan.FromSeconds(90));
    private readonly Kubernetes operatorClient;
    private Task? running;

    private OperatorRun(LocalCluster.LocalCluster cluster)
    {
        Cluster = cluster;
        Client = cluster.CreateClient();
        var config = new KubernetesClientConfiguration { Host = cluster.Url.ToString().TrimEnd('/'), AccessToken = "iot-local" };
        if (cluster.CaPem is not null)
        {
            config.SslCaCerts = [X509Certificate2.CreateFromPem(cluster.CaPem)];
        }

        operatorClient = new Kubernetes(config, new UserAgentHandler());
    }

    public LocalCluster.LocalCluster Cluster { get; }

    /// <summary>The test's own client (its requests are not the operator's).</summary>
    public Kubernetes Client { get; }

    public CancellationToken Token => stop.Token;

    /// <summary>The requests the operator made so far.</summary>
    public IReadOnlyList<ApiRequest> OperatorRequests => [.. Cluster.RequestLog.Requests.Where(r => r.UserAgent == UserAgent)];

    /// <summary>A local cluster with the CRDs, the example building and the <paramref name="namespaces"/>.</summary>
    public static async Task<OperatorRun> StartClusterAsync(params string[] namespaces)
    {
        var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions
        {
            CrdDirectory = RepositoryRoot.Combine("crds"),
            ApplyDirectory = RepositoryRoot.Combine("examples"),
        });
        var run = new OperatorRun(cluster);
        foreach (var ns in namespaces)
        {
            await run.Client.CoreV1.CreateNamespaceAsync(new k8s.Models.V1Namespace { Metadata = new k8s.Models.V1ObjectMeta { Name = ns } });
        }

        return run;
    }

    public void Start(OperatorOptions options) => running = new OperatorHost(operatorClient, options, TimeProvider.System).RunAsync(stop.Token);

    /// <summary>Stops the operator (releasing its Lease) and waits until it has.</summary>
    public async Task StopAsync()
    {
        await stop.CancelAsync();
        if (running is not null)
        {
            await running.WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    /// <summary>Waits until every example object is Ready (air-001 is disabled, never Ready) and the four workloads' Services exist.</summary>
    public Task WaitUntilBuildingRunsAsync() => Eventually.TrueAsync(
        async () =>
        {
            foreach (var plural in new[] { "rooms", "edgerules", "alertroutes", "devices" })
            {
                var list = (JsonElement)await Client.CustomObjects.ListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Building, plural, cancellationToken: Token);
                if (!list.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("metadata").GetProperty("name").GetString() != "air-001").All(Ready))
                {
                    return false;
                }
            }

            return (await Client.CoreV1.ListNamespacedServiceAsync(Building, cancellationToken: Token)).Items.Count == 4;
        },
        "every example object is Ready and the workloads' Services exist",
        Token);

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        operatorClient.Dispose();
        Client.Dispose();
        await Cluster.DisposeAsync();
        stop.Dispose();
    }

    private static bool Ready(JsonElement obj) =>
        obj.TryGetProperty("status", out var status) && status.TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");

    private sealed class UserAgentHandler : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            request.Headers.UserAgent.Clear();
            request.Headers.TryAddWithoutValidation("User-Agent", UserAgent);
            return base.SendAsync(request, cancellationToken);
        }
    }
}
