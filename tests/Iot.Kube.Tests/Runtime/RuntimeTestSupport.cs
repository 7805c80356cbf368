using Iot.LocalCluster;

using k8s;
using k8s.Models;

namespace Iot.Kube.Tests.Runtime;

/// <summary>Condition waits and a local cluster with a namespace, for the runtime tests.</summary>
internal static class RuntimeTestSupport
{
    public const string Namespace = "test";

    public static readonly KubeResource ConfigMaps = new("", "v1", "configmaps", true);

    public static readonly KubeResource Secrets = new("", "v1", "secrets", true);

    public static async Task<LocalCluster.LocalCluster> StartClusterAsync(int watchHistorySize = 10_000, TimeSpan? bookmarkInterval = null)
    {
        var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions
        {
            CrdDirectory = RepositoryRoot.Combine("crds"),
            WatchHistorySize = watchHistorySize,
            BookmarkInterval = bookmarkInterval ?? TimeSpan.FromSeconds(30),
        });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        return cluster;
    }

    public static V1ConfigMap ConfigMap(string name, Dictionary<string, string>? data = null, Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Labels = labels },
        Data = data,
    };

    public static Task<V1ConfigMap> SetDataAsync(this IKubernetes client, string name, string key, string value) =>
        new ResourceClient<V1ConfigMap>(client, ConfigMaps).MergePatchAsync(name, Namespace, new { data = new Dictionary<string, string> { [key] = value } });

    /// <summary>A client whose watch requests wait while <paramref name="gate"/> is closed, to hold a watch gap open.</summary>
    public static Kubernetes CreateGatedClient(this LocalCluster.LocalCluster cluster, WatchGate gate) =>
        new(new KubernetesClientConfiguration { Host = cluster.Url.ToString().TrimEnd('/') }, gate);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds, failing after <paramref name="timeout"/> (10 s by default).</summary>
    public static async Task Eventually(Func<bool> condition, string because, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}");
            }

            await Task.Delay(20);
        }
    }
}

/// <summary>Holds back watch requests while closed; counts those waiting.</summary>
internal sealed class WatchGate : DelegatingHandler
{
    private volatile TaskCompletionSource open = Opened();
    private int waiting;

    public int Waiting => Volatile.Read(ref waiting);

    public void Close() => open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Open() => open.TrySetResult();

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.RequestUri?.Query.Contains("watch=true", StringComparison.Ordinal) == true)
        {
            Interlocked.Increment(ref waiting);
            try
            {
                await open.Task.WaitAsync(cancellationToken);
            }
            finally
            {
                Interlocked.Decrement(ref waiting);
            }
        }

        return await base.SendAsync(request, cancellationToken);
    }

    private static TaskCompletionSource Opened()
    {
        var source = new TaskCompletionSource();
        source.SetResult();
        return source;
    }
}
