using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class FinalizerTests : StoreTestBase
{
    [Fact]
    public void Delete_of_an_object_without_finalizers_removes_it()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));
        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));

        var deleted = Delete(TestTypes.Device, "lab", "thermo-1");

        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
        Assert.Equal(Store.ResourceVersion, deleted.ResourceVersion());
        var e = Assert.Single(watch.Drain());
        Assert.Equal((WatchEventTypes.Deleted, Store.ResourceVersion), (e.Type, e.Object.ResourceVersion()));
    }

    [Fact]
    public void Delete_of_a_missing_object_is_not_found()
    {
        var error = Fails(() => Delete(TestTypes.Device, "lab", "thermo-1"));

        Assert.Equal((404, "devices.iotoperator.io \"thermo-1\" not found"), (error.Code, error.Message));
    }

    [Fact]
    public void Delete_of_an_object_with_finalizers_marks_it_for_deletion()
    {
        Create(TestTypes.Device, Json.Device("thermo-1").WithFinalizers("iotoperator.io/broker"));
        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));
        Clock.Advance(TimeSpan.FromMinutes(5));

        var marked = Delete(TestTypes.Device, "lab", "thermo-1");

        Assert.Equal("2025-03-01T12:05:00Z", (string?)marked.Meta()["deletionTimestamp"]);
        Assert.Equal(0, (long)marked.Meta()["deletionGracePeriodSeconds"]!);
        Assert.Equal(2, marked.Generation());
        Assert.Equal(Store.ResourceVersion, marked.ResourceVersion());
        Assert.NotNull(Store.Get(TestTypes.Device, "lab", "thermo-1"));
        Assert.Equal(["MODIFIED thermo-1"], watch.DrainSummaries());
    }

    [Fact]
    public void Removing_the_last_finalizer_of_a_deleting_object_deletes_it()
    {
        Create(TestTypes.Device, Json.Device("thermo-1").WithFinalizers("a", "b"));
        Delete(TestTypes.Device, "lab", "thermo-1");
        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));

        Change(TestTypes.Device, "lab", "thermo-1", d => d.WithFinalizers("b"));
        var removed = Change(TestTypes.Device, "lab", "thermo-1", d => d.Meta().Remove("finalizers"));

        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
        Assert.Equal(Store.ResourceVersion, removed.ResourceVersion());
        Assert.Equal(["MODIFIED thermo-1", "DELETED thermo-1"], watch.DrainSummaries());
    }

    [Fact]
    public void Removing_finalizers_of_an_object_not_being_deleted_keeps_it()
    {
        Create(TestTypes.Device, Json.Device("thermo-1").WithFinalizers("a"));

        Change(TestTypes.Device, "lab", "thermo-1", d => d.Meta().Remove("finalizers"));

        Assert.NotNull(Store.Get(TestTypes.Device, "lab", "thermo-1"));
    }

    [Fact]
    public void Deleting_a_deleting_object_returns_it_unchanged()
    {
        Create(TestTypes.Device, Json.Device("thermo-1").WithFinalizers("a"));
        var marked = Delete(TestTypes.Device, "lab", "thermo-1");
        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = Delete(TestTypes.Device, "lab", "thermo-1", PropagationPolicy.Foreground);

        Assert.Equal(marked.ToJsonString(), again.ToJsonString());
        Assert.Equal(marked.ResourceVersion(), Store.ResourceVersion);
    }

    [Fact]
    public void Update_cannot_unset_the_deletion_timestamp()
    {
        Create(TestTypes.Device, Json.Device("thermo-1").WithFinalizers("a"));
        var marked = Delete(TestTypes.Device, "lab", "thermo-1");

        var updated = Change(TestTypes.Device, "lab", "thermo-1", d =>
        {
            d.Meta().Remove("deletionTimestamp");
            d["spec"]!["room"] = "lab-2";
        });

        Assert.Equal((string?)marked.Meta()["deletionTimestamp"], (string?)updated.Meta()["deletionTimestamp"]);
        Assert.Equal("lab-2", (string?)updated["spec"]!["room"]);
    }

    [Fact]
    public void Delete_with_a_uid_or_resource_version_precondition_that_fails_is_a_conflict()
    {
        var created = Create(TestTypes.Device, Json.Device("thermo-1"));

        var uid = Fails(() => Store.Delete(TestTypes.Device, "lab", "thermo-1", new DeleteOptions(PreconditionUid: "other")));
        var version = Fails(() => Store.Delete(TestTypes.Device, "lab", "thermo-1", new DeleteOptions(PreconditionResourceVersion: "1")));
        Store.Delete(TestTypes.Device, "lab", "thermo-1", new DeleteOptions(PreconditionUid: created.Uid(), PreconditionResourceVersion: $"{created.ResourceVersion()}"));

        Assert.Equal((409, "Conflict"), (uid.Code, uid.Reason));
        Assert.EndsWith($"Precondition failed: UID in precondition: other, UID in object meta: {created.Uid()}", uid.Message, StringComparison.Ordinal);
        Assert.EndsWith($"Precondition failed: ResourceVersion in precondition: 1, ResourceVersion in object meta: {created.ResourceVersion()}", version.Message, StringComparison.Ordinal);
        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
    }

    [Fact]
    public void Delete_collection_deletes_the_selected_objects()
    {
        Create(TestTypes.Device, Json.Device("a", labels: Json.Labels(("zone", "north"))));
        Create(TestTypes.Device, Json.Device("b", labels: Json.Labels(("zone", "north"))).WithFinalizers("x"));
        Create(TestTypes.Device, Json.Device("c", labels: Json.Labels(("zone", "south"))));

        var deleted = Store.DeleteCollection(TestTypes.Device, "lab", new ListOptions(LabelSelector: "zone=north"), new DeleteOptions());

        Assert.Equal(["a", "b"], deleted.Select(d => d.Name()));
        Assert.NotNull(deleted[1].Meta()["deletionTimestamp"]);
        Assert.Equal(["b", "c"], Store.List(TestTypes.Device, "lab", new()).Items.Select(d => d.Name()));
    }
}
