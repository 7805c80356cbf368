using System.Collections.Concurrent;

using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class ConcurrencyTests : StoreTestBase
{
    [Fact]
    public void Parallel_creates_get_unique_resource_versions_and_every_watch_sees_them_in_order()
    {
        const int Objects = 2_000;
        const int Watches = 50;
        var start = Store.ResourceVersion;
        var watches = Enumerable.Range(0, Watches).Select(_ => Store.Watch(TestTypes.ConfigMap, null, new WatchOptions(start))).ToList();

        var created = new ConcurrentBag<long>();
        Parallel.For(0, Objects, i => created.Add(Create(TestTypes.ConfigMap, Json.ConfigMap($"item-{i}")).ResourceVersion()));

        Assert.Equal(Enumerable.Range(1, Objects).Select(i => start + i), created.Order());
        Assert.All(watches, watch =>
        {
            var versions = watch.Drain().Select(e => e.Object.ResourceVersion()).ToList();
            Assert.Equal(Enumerable.Range(1, Objects).Select(i => start + i), versions);
            watch.Dispose();
        });
    }

    [Fact]
    public async Task Readers_and_writers_can_run_together()
    {
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                var name = $"w{w}-{i}";
                Create(TestTypes.Device, Json.Device(name));
                Change(TestTypes.Device, "lab", name, d => d["spec"]!["room"] = "lab-2");
                Delete(TestTypes.Device, "lab", name);
            }
        }));
        var readers = Enumerable.Range(0, 4).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 200; i++)
            {
                Assert.All(Store.List(TestTypes.Device, "lab", new()).Items, d => Assert.NotNull(d["spec"]));
            }
        }));

        await Task.WhenAll([.. writers, .. readers]);

        Assert.Empty(Store.List(TestTypes.Device, null, new()).Items);
    }

    [Fact]
    public void Store_holds_ten_thousand_objects_and_deletes_their_namespace()
    {
        CreateNamespace("big");
        using var watch = Store.Watch(TestTypes.ConfigMap, "big", new WatchOptions(Store.ResourceVersion));
        for (var i = 0; i < 10_000; i++)
        {
            Create(TestTypes.ConfigMap, Json.ConfigMap($"item-{i:00000}", ns: "big"));
        }

        var page = Store.List(TestTypes.ConfigMap, "big", new ListOptions(Limit: 500));
        Delete(TestTypes.Namespace, null, "big");

        Assert.Equal(9_500, page.RemainingItemCount);
        Assert.Null(Store.Get(TestTypes.Namespace, null, "big"));
        Assert.Equal(20_000, watch.Drain().Count);
    }
}
