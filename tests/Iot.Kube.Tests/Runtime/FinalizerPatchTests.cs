using k8s.Autorest;
using k8s.Models;

using static Iot.Kube.Tests.Runtime.RuntimeTestSupport;

namespace Iot.Kube.Tests.Runtime;

public sealed class FinalizerPatchTests
{
    [Fact]
    public async Task Finalizers_are_added_and_removed_by_guarded_JSON_patches_never_by_update()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        var created = await configMaps.CreateAsync(ConfigMap("a"));

        var one = await configMaps.AddFinalizerAsync(created, "iotoperator.io/one");
        Assert.Equal(["iotoperator.io/one"], one.Metadata.Finalizers);
        var two = await configMaps.AddFinalizerAsync(one, "iotoperator.io/two");
        Assert.Equal(["iotoperator.io/one", "iotoperator.io/two"], two.Metadata.Finalizers);
        Assert.Same(two, await configMaps.AddFinalizerAsync(two, "iotoperator.io/two"));

        var removed = await configMaps.RemoveFinalizerAsync(two, "iotoperator.io/one");
        Assert.Equal(["iotoperator.io/two"], removed.Metadata.Finalizers);

        // A stale copy (it still lists "one" first) must not remove whatever now sits at that index.
        await Assert.ThrowsAsync<HttpOperationException>(() => configMaps.RemoveFinalizerAsync(two, "iotoperator.io/one"));
        // Adding to a stale copy without finalizers fails on its resourceVersion instead of overwriting the list.
        await Assert.ThrowsAsync<HttpOperationException>(() => configMaps.AddFinalizerAsync(created, "iotoperator.io/three"));
        Assert.Equal(["iotoperator.io/two"], (await configMaps.GetAsync("a", Namespace))!.Metadata.Finalizers);

        var requests = cluster.RequestLog.Requests.Where(r => r.Resource == "configmaps" && r.Name == "a").Select(r => r.Verb).ToList();
        Assert.Equal(5, requests.Count(v => v == "patch"));
        Assert.DoesNotContain("update", requests);
    }
}
