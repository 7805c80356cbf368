using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class NamespaceTests : StoreTestBase
{
    [Fact]
    public void Deleting_a_namespace_deletes_its_contents_and_then_itself()
    {
        CreateNamespace("plant");
        Create(TestTypes.Device, Json.Device("thermo-1", ns: "plant"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings", ns: "plant"));
        Create(TestTypes.Device, Json.Device("thermo-1"));
        using var namespaces = Store.Watch(TestTypes.Namespace, null, new WatchOptions(Store.ResourceVersion));
        using var devices = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));

        var deleted = Delete(TestTypes.Namespace, null, "plant");

        Assert.Equal("Terminating", (string?)deleted["status"]!["phase"]);
        Assert.Null(Store.Get(TestTypes.Namespace, null, "plant"));
        Assert.Empty(Store.List(TestTypes.ConfigMap, "plant", new()).Items);
        Assert.Equal(["MODIFIED plant", "DELETED plant"], namespaces.DrainSummaries());
        Assert.Equal(["DELETED thermo-1"], devices.DrainSummaries());
        Assert.NotNull(Store.Get(TestTypes.Device, "lab", "thermo-1"));
    }

    [Fact]
    public void Terminating_namespace_waits_for_objects_held_by_finalizers()
    {
        CreateNamespace("plant");
        Create(TestTypes.Device, Json.Device("thermo-1", ns: "plant").WithFinalizers("iotoperator.io/broker"));
        Create(TestTypes.Device, Json.Device("thermo-2", ns: "plant"));

        Delete(TestTypes.Namespace, null, "plant");

        var ns = Store.Get(TestTypes.Namespace, null, "plant")!;
        Assert.Equal("Terminating", (string?)ns["status"]!["phase"]);
        Assert.NotNull(ns.Meta()["deletionTimestamp"]);
        Assert.NotNull(Store.Get(TestTypes.Device, "plant", "thermo-1")!.Meta()["deletionTimestamp"]);
        Assert.Null(Store.Get(TestTypes.Device, "plant", "thermo-2"));

        using var namespaces = Store.Watch(TestTypes.Namespace, null, new WatchOptions(Store.ResourceVersion));
        Change(TestTypes.Device, "plant", "thermo-1", d => d.Meta().Remove("finalizers"));

        Assert.Null(Store.Get(TestTypes.Device, "plant", "thermo-1"));
        Assert.Null(Store.Get(TestTypes.Namespace, null, "plant"));
        Assert.Equal(["DELETED plant"], namespaces.DrainSummaries());
    }

    [Fact]
    public void Creating_in_a_terminating_namespace_is_forbidden()
    {
        CreateNamespace("plant");
        Create(TestTypes.Device, Json.Device("thermo-1", ns: "plant").WithFinalizers("a"));
        Delete(TestTypes.Namespace, null, "plant");

        var error = Fails(() => Create(TestTypes.Device, Json.Device("thermo-2", ns: "plant")));

        Assert.Equal(403, error.Code);
        Assert.Equal("Forbidden", error.Reason);
        Assert.Equal(
            "devices.iotoperator.io \"thermo-2\" is forbidden: unable to create new content in namespace plant because it is being terminated",
            error.Message);
    }

    [Fact]
    public void Namespace_finalizers_keep_an_empty_namespace_until_removed()
    {
        Create(TestTypes.Namespace, Json.Namespace("plant").WithFinalizers("example.com/audit"));

        Delete(TestTypes.Namespace, null, "plant");
        Assert.NotNull(Store.Get(TestTypes.Namespace, null, "plant"));

        Change(TestTypes.Namespace, null, "plant", n => n.Meta().Remove("finalizers"));
        Assert.Null(Store.Get(TestTypes.Namespace, null, "plant"));
    }

    [Fact]
    public void Recreated_namespace_is_a_new_active_namespace()
    {
        CreateNamespace("plant");
        var first = Delete(TestTypes.Namespace, null, "plant");

        var second = CreateNamespace("plant");

        Assert.NotEqual(first.Uid(), second.Uid());
        Assert.Equal("Active", (string?)second["status"]!["phase"]);
    }
}
