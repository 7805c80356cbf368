using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class ResourceVersionTests : StoreTestBase
{
    [Fact]
    public void Every_write_takes_the_next_resource_version_across_all_kinds()
    {
        var start = Store.ResourceVersion;

        var device = Create(TestTypes.Device, Json.Device("thermo-1"));
        var configMap = Create(TestTypes.ConfigMap, Json.ConfigMap("settings"));
        var node = Create(TestTypes.Node, Json.Node("node-1"));
        var changed = Change(TestTypes.Device, "lab", "thermo-1", d => d["spec"]!["room"] = "lab-2");
        var deleted = Delete(TestTypes.ConfigMap, "lab", "settings");

        Assert.Equal(
            [start + 1, start + 2, start + 3, start + 4, start + 5],
            new[] { device, configMap, node, changed, deleted }.Select(o => o.ResourceVersion()));
        Assert.Equal(start + 5, Store.ResourceVersion);
    }

    [Fact]
    public void Update_that_changes_nothing_keeps_the_resource_version_and_sends_no_event()
    {
        var created = Create(TestTypes.Device, Json.Device("thermo-1", labels: Json.Labels(("zone", "north"))));
        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(ResourceVersion: created.ResourceVersion()));
        var changes = 0;
        Store.Changed += (_, _, _) => changes++;

        // The same object, with its fields in another order and without status.
        var body = Json.Parse($$$"""
            {"spec": {"room": "lab-1", "type": "thermostat"},
             "metadata": {"labels": {"zone": "north"}, "name": "thermo-1", "resourceVersion": "{{{created.ResourceVersion()}}}"}}
            """);
        var updated = Store.Update(TestTypes.Device, "lab", "thermo-1", body, new UpdateOptions());

        Assert.Equal(created.ResourceVersion(), updated.ResourceVersion());
        Assert.Equal(created.ResourceVersion(), Store.ResourceVersion);
        Assert.Empty(watch.Drain());
        Assert.Equal(0, changes);
    }

    [Fact]
    public void Status_update_with_the_same_status_is_a_no_op()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));
        var first = Change(TestTypes.Device, "lab", "thermo-1", d => d["status"] = Json.Parse("""{"phase": "Ready"}"""), "status");

        var second = Change(TestTypes.Device, "lab", "thermo-1", d => d["status"] = Json.Parse("""{"phase": "Ready"}"""), "status");

        Assert.Equal(first.ResourceVersion(), second.ResourceVersion());
    }
}
