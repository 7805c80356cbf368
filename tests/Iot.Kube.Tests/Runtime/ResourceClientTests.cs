using k8s.Models;

using static Iot.Kube.Tests.Runtime.RuntimeTestSupport;

namespace Iot.Kube.Tests.Runtime;

public sealed class ResourceClientTests
{
    [Fact]
    public async Task Core_kinds_are_created_read_listed_patched_and_deleted_without_PUT()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);

        var created = await configMaps.CreateAsync(ConfigMap("a", new() { ["x"] = "1" }, new() { ["app"] = "one" }));
        await configMaps.CreateAsync(ConfigMap("b", labels: new() { ["app"] = "two" }));
        Assert.Equal("a", created.Metadata.Name);
        Assert.Equal("1", (await configMaps.GetAsync("a", Namespace))!.Data["x"]);
        Assert.Null(await configMaps.GetAsync("missing", Namespace));

        var all = await configMaps.ListAsync(Namespace);
        Assert.Equal(["a", "b"], all.Items.Select(i => i.Metadata.Name).Order());
        Assert.NotEmpty(all.ResourceVersion);
        Assert.Equal(["b"], (await configMaps.ListAsync(Namespace, labelSelector: "app=two")).Items.Select(i => i.Metadata.Name));
        Assert.Equal(2, (await configMaps.ListAsync()).Items.Count);

        var page = await configMaps.ListAsync(Namespace, limit: 1);
        Assert.Single(page.Items);
        Assert.NotNull(page.Continue);
        Assert.Equal(2, (await configMaps.ListAllAsync(Namespace, pageSize: 1)).Items.Count);

        var patched = await configMaps.MergePatchAsync("a", Namespace, new { data = new { y = "2" } });
        Assert.Equal("2", patched.Data["y"]);
        Assert.Equal("1", patched.Data["x"]);

        Assert.True(await configMaps.DeleteAsync("a", Namespace));
        Assert.False(await configMaps.DeleteAsync("a", Namespace));
        Assert.DoesNotContain(cluster.RequestLog.Requests, r => r.Verb == "update");
    }

    [Fact]
    public async Task A_watch_yields_changes_bookmarks_and_a_410_as_an_error_event()
    {
        await using var cluster = await StartClusterAsync(watchHistorySize: 3, bookmarkInterval: TimeSpan.FromMilliseconds(100));
        using var client = cluster.CreateClient();
        var configMaps = new ResourceClient<V1ConfigMap>(client, ConfigMaps);
        var start = (await configMaps.ListAsync(Namespace)).ResourceVersion;

        await configMaps.CreateAsync(ConfigMap("a"));
        await client.SetDataAsync("a", "k", "v");
        await configMaps.DeleteAsync("a", Namespace);

        var seen = new List<ResourceWatchEvent<V1ConfigMap>>();
        await foreach (var e in configMaps.WatchAsync(Namespace, start, timeoutSeconds: 1))
        {
            seen.Add(e);
        }

        Assert.Equal([ResourceEventType.Added, ResourceEventType.Modified, ResourceEventType.Deleted], seen.Take(3).Select(e => e.Type));
        Assert.Contains(seen, e => e.Type == ResourceEventType.Bookmark && !string.IsNullOrEmpty(e.Object!.Metadata.ResourceVersion));

        for (var i = 0; i < 5; i++)
        {
            await configMaps.CreateAsync(ConfigMap($"more-{i}"));
        }

        var expired = new List<ResourceWatchEvent<V1ConfigMap>>();
        await foreach (var e in configMaps.WatchAsync(Namespace, start, timeoutSeconds: 1))
        {
            expired.Add(e);
        }

        var error = Assert.Single(expired);
        Assert.Equal(ResourceEventType.Error, error.Type);
        Assert.Equal(410, error.Code);
    }
}
