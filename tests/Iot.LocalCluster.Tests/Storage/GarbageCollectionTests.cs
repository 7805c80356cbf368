using System.Text.Json.Nodes;

using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class GarbageCollectionTests : StoreTestBase
{
    private readonly JsonObject _owner;

    public GarbageCollectionTests()
    {
        _owner = Create(TestTypes.Device, Json.Device("thermo-1"));
    }

    [Fact]
    public void Background_deletion_collects_dependents_recursively_after_the_owner_is_gone()
    {
        var settings = Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner));
        Create(TestTypes.ConfigMap, Json.ConfigMap("derived").OwnedBy(settings));
        Create(TestTypes.ConfigMap, Json.ConfigMap("unrelated"));
        using var devices = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));
        using var configMaps = Store.Watch(TestTypes.ConfigMap, null, new WatchOptions(Store.ResourceVersion));

        Delete(TestTypes.Device, "lab", "thermo-1");

        Assert.Equal(["DELETED thermo-1"], devices.DrainSummaries());
        Assert.Equal(["DELETED settings", "DELETED derived"], configMaps.DrainSummaries());
        Assert.Equal(["unrelated"], Store.List(TestTypes.ConfigMap, "lab", new()).Items.Select(c => c.Name()));
    }

    [Fact]
    public void Dependent_waits_while_its_owner_is_held_by_finalizers()
    {
        Change(TestTypes.Device, "lab", "thermo-1", d => d.WithFinalizers("a"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner));

        Delete(TestTypes.Device, "lab", "thermo-1");
        Assert.NotNull(Store.Get(TestTypes.ConfigMap, "lab", "settings"));

        Change(TestTypes.Device, "lab", "thermo-1", d => d.Meta().Remove("finalizers"));
        Assert.Null(Store.Get(TestTypes.ConfigMap, "lab", "settings"));
    }

    [Fact]
    public void Dependent_with_another_live_owner_survives_and_loses_the_reference_to_the_deleted_one()
    {
        var other = Create(TestTypes.Device, Json.Device("thermo-2"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("shared").OwnedBy(_owner).OwnedBy(other));

        Delete(TestTypes.Device, "lab", "thermo-1");

        var shared = Store.Get(TestTypes.ConfigMap, "lab", "shared")!;
        Assert.Equal([other.Uid()], shared.Meta()["ownerReferences"]!.AsArray().Select(r => (string?)r!["uid"]));
    }

    [Fact]
    public void Dependent_held_by_its_own_finalizer_is_marked_for_deletion()
    {
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner).WithFinalizers("a"));

        Delete(TestTypes.Device, "lab", "thermo-1");

        Assert.NotNull(Store.Get(TestTypes.ConfigMap, "lab", "settings")!.Meta()["deletionTimestamp"]);
    }

    [Fact]
    public void Cluster_scoped_owner_collects_namespaced_dependents()
    {
        var node = Create(TestTypes.Node, Json.Node("node-1"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("node-1-config").OwnedBy(node));

        Delete(TestTypes.Node, null, "node-1");

        Assert.Null(Store.Get(TestTypes.ConfigMap, "lab", "node-1-config"));
    }

    [Fact]
    public void Foreground_deletion_deletes_dependents_before_the_owner()
    {
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner, blockOwnerDeletion: true));
        using var devices = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));
        using var configMaps = Store.Watch(TestTypes.ConfigMap, null, new WatchOptions(Store.ResourceVersion));

        Delete(TestTypes.Device, "lab", "thermo-1", PropagationPolicy.Foreground);

        // In resourceVersion order: the owner is marked, its dependent goes, then the owner goes.
        var inOrder = devices.Drain().Concat(configMaps.Drain()).OrderBy(e => e.Object.ResourceVersion()).ToList();
        Assert.Equal(["MODIFIED thermo-1", "DELETED settings", "DELETED thermo-1"], inOrder.Summaries());
        Assert.Equal("""["foregroundDeletion"]""", inOrder[0].Object.Meta()["finalizers"]!.ToJsonString());
        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
    }

    [Fact]
    public void Foreground_deletion_waits_for_dependents_that_block_owner_deletion()
    {
        Create(TestTypes.ConfigMap, Json.ConfigMap("blocking").OwnedBy(_owner, blockOwnerDeletion: true).WithFinalizers("a"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("not-blocking").OwnedBy(_owner).WithFinalizers("a"));

        var marked = Delete(TestTypes.Device, "lab", "thermo-1", PropagationPolicy.Foreground);

        Assert.Equal("""["foregroundDeletion"]""", marked.Meta()["finalizers"]!.ToJsonString());
        Assert.NotNull(Store.Get(TestTypes.ConfigMap, "lab", "blocking")!.Meta()["deletionTimestamp"]);
        Assert.NotNull(Store.Get(TestTypes.ConfigMap, "lab", "not-blocking")!.Meta()["deletionTimestamp"]);

        // The non-blocking dependent going does not release the owner; the blocking one does.
        Change(TestTypes.ConfigMap, "lab", "not-blocking", c => c.Meta().Remove("finalizers"));
        Assert.NotNull(Store.Get(TestTypes.Device, "lab", "thermo-1"));
        Change(TestTypes.ConfigMap, "lab", "blocking", c => c.Meta().Remove("finalizers"));
        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
    }

    [Fact]
    public void Foreground_owner_with_its_own_finalizer_stays_after_its_dependents_are_gone()
    {
        Change(TestTypes.Device, "lab", "thermo-1", d => d.WithFinalizers("iotoperator.io/broker"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner, blockOwnerDeletion: true));

        Delete(TestTypes.Device, "lab", "thermo-1", PropagationPolicy.Foreground);

        var owner = Store.Get(TestTypes.Device, "lab", "thermo-1")!;
        Assert.Equal("""["iotoperator.io/broker"]""", owner.Meta()["finalizers"]!.ToJsonString());
        Assert.Null(Store.Get(TestTypes.ConfigMap, "lab", "settings"));
    }

    [Fact]
    public void Foreground_deletion_cascades_in_the_foreground_through_dependents_with_dependents()
    {
        var middle = Create(TestTypes.ConfigMap, Json.ConfigMap("middle").OwnedBy(_owner, blockOwnerDeletion: true));
        Create(TestTypes.ConfigMap, Json.ConfigMap("leaf").OwnedBy(middle, blockOwnerDeletion: true).WithFinalizers("a"));

        Delete(TestTypes.Device, "lab", "thermo-1", PropagationPolicy.Foreground);

        Assert.Equal("""["foregroundDeletion"]""", Store.Get(TestTypes.ConfigMap, "lab", "middle")!.Meta()["finalizers"]!.ToJsonString());
        Assert.NotNull(Store.Get(TestTypes.Device, "lab", "thermo-1"));

        Change(TestTypes.ConfigMap, "lab", "leaf", c => c.Meta().Remove("finalizers"));

        Assert.Empty(Store.List(TestTypes.ConfigMap, "lab", new()).Items);
        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
    }

    [Fact]
    public void Orphan_deletion_removes_the_owner_reference_and_keeps_dependents()
    {
        var other = Create(TestTypes.Device, Json.Device("thermo-2"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner));
        Create(TestTypes.ConfigMap, Json.ConfigMap("shared").OwnedBy(_owner).OwnedBy(other));
        using var configMaps = Store.Watch(TestTypes.ConfigMap, null, new WatchOptions(Store.ResourceVersion));

        Delete(TestTypes.Device, "lab", "thermo-1", PropagationPolicy.Orphan);

        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
        Assert.Equal(["MODIFIED settings", "MODIFIED shared"], configMaps.DrainSummaries());
        Assert.Null(Store.Get(TestTypes.ConfigMap, "lab", "settings")!.Meta()["ownerReferences"]);
        Assert.Single(Store.Get(TestTypes.ConfigMap, "lab", "shared")!.Meta()["ownerReferences"]!.AsArray());
    }

    [Fact]
    public void Orphan_finalizer_set_by_a_client_orphans_dependents()
    {
        Change(TestTypes.Device, "lab", "thermo-1", d => d.WithFinalizers("orphan"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner));

        var deleted = Delete(TestTypes.Device, "lab", "thermo-1");

        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
        Assert.Null(deleted.Meta()["finalizers"]);
        Assert.NotNull(Store.Get(TestTypes.ConfigMap, "lab", "settings"));
    }

    [Fact]
    public void Object_whose_owner_never_existed_is_created_and_collected_after_the_next_delete()
    {
        var ghost = Json.Device("ghost");
        ghost.Meta()["uid"] = Guid.NewGuid().ToString();
        Create(TestTypes.ConfigMap, Json.ConfigMap("orphaned").OwnedBy(ghost));
        Create(TestTypes.ConfigMap, Json.ConfigMap("unrelated"));

        Assert.NotNull(Store.Get(TestTypes.ConfigMap, "lab", "orphaned"));

        Delete(TestTypes.ConfigMap, "lab", "unrelated");

        Assert.Null(Store.Get(TestTypes.ConfigMap, "lab", "orphaned"));
    }

    [Fact]
    public void Garbage_sweep_collects_objects_whose_owners_are_missing()
    {
        var ghost = Json.Device("ghost");
        ghost.Meta()["uid"] = Guid.NewGuid().ToString();
        Create(TestTypes.ConfigMap, Json.ConfigMap("orphaned").OwnedBy(ghost));
        Create(TestTypes.ConfigMap, Json.ConfigMap("half").OwnedBy(ghost).OwnedBy(_owner));

        Store.CollectGarbage();

        Assert.Null(Store.Get(TestTypes.ConfigMap, "lab", "orphaned"));
        Assert.Equal([_owner.Uid()], Store.Get(TestTypes.ConfigMap, "lab", "half")!.Meta()["ownerReferences"]!.AsArray().Select(r => (string?)r!["uid"]));
    }

    [Fact]
    public void Delete_returns_the_owner_as_finally_removed_by_the_cascade()
    {
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(_owner, blockOwnerDeletion: true));

        var deleted = Delete(TestTypes.Device, "lab", "thermo-1", PropagationPolicy.Foreground);

        Assert.Equal(Store.ResourceVersion, deleted.ResourceVersion());
    }
}
