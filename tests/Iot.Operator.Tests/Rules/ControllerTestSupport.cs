using Iot.Api.Common;
using Iot.Kube;
using Iot.LocalCluster;

using k8s;
using k8s.Models;

namespace Iot.Operator.Tests.Rules;

/// <summary>A local cluster with a namespace, a running controller, condition waits and write counting for the controller tests.</summary>
internal static class ControllerTestSupport
{
    public const string Namespace = "test";

    private static readonly HashSet<string> WriteVerbs = new(StringComparer.OrdinalIgnoreCase) { "create", "update", "patch", "delete", "deletecollection" };

    public static async Task<LocalCluster.LocalCluster> StartClusterAsync()
    {
        var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        return cluster;
    }

    /// <summary>Runs <paramref name="controller"/> until the returned handle is disposed.</summary>
    public static async Task<IAsyncDisposable> RunAsync<T>(Controller<T> controller)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var stop = new CancellationTokenSource();
        var run = controller.RunAsync(stop.Token);
        await Eventually(() => controller.Informer.HasSynced || run.IsCompleted, "the controller's informer synced");
        return new Running(stop, run);
    }

    /// <summary>Requests that change objects (create, update, patch, delete).</summary>
    public static int Writes(this LocalCluster.LocalCluster cluster) => cluster.RequestLog.Requests.Count(r => WriteVerbs.Contains(r.Verb));

    public static Condition? Condition(ResourceStatus? status, string type) => status?.Conditions?.FirstOrDefault(c => c.Type == type);

    /// <summary>Polls <paramref name="condition"/> every 20 ms until it holds, failing after 10 s.</summary>
    public static async Task Eventually(Func<bool> condition, string because)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>Polls the object until <paramref name="condition"/> holds for it; returns it.</summary>
    public static async Task<T> EventuallyAsync<T>(ResourceClient<T> client, string name, Func<T, bool> condition, string because)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var obj = await client.GetAsync(name, Namespace);
            if (obj is not null && condition(obj))
            {
                return obj;
            }

            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {because}; last seen: {(obj is null ? "absent" : KubernetesJson.Serialize(obj))}");
            }

            await Task.Delay(20);
        }
    }

    private sealed class Running(CancellationTokenSource stop, Task run) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await stop.CancelAsync();
            await run.WaitAsync(TimeSpan.FromSeconds(10));
            stop.Dispose();
        }
    }
}
