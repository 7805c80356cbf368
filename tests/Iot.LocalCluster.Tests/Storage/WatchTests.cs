using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class WatchTests : StoreTestBase
{
    [Theory]
    [InlineData(null)]
    [InlineData(0L)]
    public void Watch_from_nothing_or_zero_starts_with_the_current_objects_then_follows_changes(long? from)
    {
        Create(TestTypes.Device, Json.Device("b"));
        Create(TestTypes.Device, Json.Device("a"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings"));

        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(from));
        var initial = watch.Drain();
        Change(TestTypes.Device, "lab", "a", d => d["spec"]!["room"] = "lab-2");
        Delete(TestTypes.Device, "lab", "b");
        Create(TestTypes.Device, Json.Device("c"));

        Assert.Equal(["ADDED a", "ADDED b"], initial.Summaries());
        Assert.Equal(Store.Get(TestTypes.Device, "lab", "c")!.ResourceVersion() - 4, initial[0].Object.ResourceVersion());
        Assert.Equal(["MODIFIED a", "DELETED b", "ADDED c"], watch.DrainSummaries());
    }

    [Fact]
    public void Watch_from_a_resource_version_replays_later_changes_of_its_kind()
    {
        Create(TestTypes.Device, Json.Device("a"));
        var from = Store.ResourceVersion;
        Create(TestTypes.Device, Json.Device("b"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings"));
        Change(TestTypes.Device, "lab", "a", d => d["spec"]!["room"] = "lab-2");

        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(from));
        var replayed = watch.Drain();
        Delete(TestTypes.Device, "lab", "a");

        Assert.Equal(["ADDED b", "MODIFIED a"], replayed.Summaries());
        Assert.Equal("lab-2", (string?)replayed[1].Object["spec"]!["room"]);
        Assert.Equal(["DELETED a"], watch.DrainSummaries());
    }

    [Fact]
    public void Watch_from_a_resource_version_no_longer_retained_is_expired()
    {
        var store = new ObjectStore(Clock, historySize: 3);
        store.Create(TestTypes.Namespace, null, Json.Namespace("lab"));
        for (var i = 1; i <= 4; i++)
        {
            store.Create(TestTypes.Device, "lab", Json.Device($"d{i}"));
        }

        // Five changes (1..5), three retained (3..5): resuming after 2 still sees everything, after 1 it cannot.
        var error = Assert.Throws<ApiException>(() => store.Watch(TestTypes.Device, null, new WatchOptions(1)));
        using var resumed = store.Watch(TestTypes.Device, null, new WatchOptions(2));

        Assert.Equal((410, "Expired", "too old resource version: 1 (2)"), (error.Code, error.Reason, error.Message));
        Assert.Equal(["ADDED d2", "ADDED d3", "ADDED d4"], resumed.DrainSummaries());
    }

    [Fact]
    public void Watch_in_a_namespace_sees_only_that_namespace()
    {
        CreateNamespace("annex");
        using var watch = Store.Watch(TestTypes.Device, "annex", new WatchOptions());

        Create(TestTypes.Device, Json.Device("lab-device"));
        Create(TestTypes.Device, Json.Device("annex-device", ns: "annex"));

        Assert.Equal(["ADDED annex-device"], watch.DrainSummaries());
    }

    [Fact]
    public void Objects_changing_into_a_selection_are_added_and_out_of_it_deleted()
    {
        Create(TestTypes.Device, Json.Device("thermo-1", labels: Json.Labels(("zone", "south"))));
        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(LabelSelector: "zone=north"));

        var moved = Change(TestTypes.Device, "lab", "thermo-1", d => d.Meta()["labels"] = Json.Labels(("zone", "north")));
        Change(TestTypes.Device, "lab", "thermo-1", d => d["spec"]!["room"] = "lab-2");
        var left = Change(TestTypes.Device, "lab", "thermo-1", d => d.Meta()["labels"] = Json.Labels(("zone", "east")));
        Change(TestTypes.Device, "lab", "thermo-1", d => d["spec"]!["room"] = "lab-3");

        var events = watch.Drain();
        Assert.Equal(["ADDED thermo-1", "MODIFIED thermo-1", "DELETED thermo-1"], events.Summaries());
        Assert.Equal(moved.ResourceVersion(), events[0].Object.ResourceVersion());
        // Like the real server: the last state that matched, at the resourceVersion of the change that left.
        Assert.Equal("north", (string?)events[2].Object.Meta()["labels"]!["zone"]);
        Assert.Equal(left.ResourceVersion(), events[2].Object.ResourceVersion());
    }

    [Fact]
    public void Field_selector_transitions_are_replayed_too()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));
        var from = Store.ResourceVersion;
        Change(TestTypes.Device, "lab", "thermo-1", d => d["spec"]!["room"] = "lab-2");
        Change(TestTypes.Device, "lab", "thermo-1", d => d["spec"]!["room"] = "lab-3");

        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(from, FieldSelector: "spec.room=lab-2"));

        Assert.Equal(["ADDED thermo-1", "DELETED thermo-1"], watch.DrainSummaries());
    }

    [Fact]
    public void Malformed_selector_is_a_bad_request()
    {
        Assert.Equal(400, Fails(() => Store.Watch(TestTypes.Device, null, new WatchOptions(LabelSelector: "a in"))).Code);
    }

    [Fact]
    public void Bookmark_arrives_in_order_with_other_events_and_carries_the_current_resource_version()
    {
        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));

        Create(TestTypes.Device, Json.Device("a"));
        watch.RequestBookmark();
        var bookmarkVersion = Store.ResourceVersion;
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings"));
        Create(TestTypes.Device, Json.Device("b"));
        watch.RequestBookmark();

        var events = watch.Drain();
        Assert.Equal(["ADDED a", $"BOOKMARK {bookmarkVersion}", "ADDED b", $"BOOKMARK {Store.ResourceVersion}"], events.Summaries());
        Assert.Equal(
            $$$"""{"apiVersion":"iotoperator.io/v1alpha1","kind":"Device","metadata":{"resourceVersion":"{{{bookmarkVersion}}}"}}""",
            events[1].Object.ToJsonString());
    }

    [Fact]
    public void Drop_all_watches_completes_every_channel()
    {
        var first = Store.Watch(TestTypes.Device, null, new WatchOptions());
        var second = Store.Watch(TestTypes.ConfigMap, "lab", new WatchOptions());

        Store.DropAllWatches();
        Create(TestTypes.Device, Json.Device("a"));
        first.RequestBookmark();

        Assert.True(first.Events.Completion.IsCompleted);
        Assert.True(second.Events.Completion.IsCompleted);
        Assert.Empty(first.Drain());
        Assert.Equal(0, Store.OpenWatchCount);
    }

    [Fact]
    public void Disposed_watch_is_completed_and_forgotten()
    {
        var watch = Store.Watch(TestTypes.Device, null, new WatchOptions());
        using var other = Store.Watch(TestTypes.Device, null, new WatchOptions());

        watch.Dispose();
        Create(TestTypes.Device, Json.Device("a"));

        Assert.True(watch.Events.Completion.IsCompleted);
        Assert.Equal(1, Store.OpenWatchCount);
        Assert.Equal(["ADDED a"], other.DrainSummaries());
    }

    [Fact]
    public void Events_carry_copies()
    {
        using var first = Store.Watch(TestTypes.Device, null, new WatchOptions());
        using var second = Store.Watch(TestTypes.Device, null, new WatchOptions());
        Create(TestTypes.Device, Json.Device("a"));

        first.Drain()[0].Object["spec"]!["room"] = "mutated";

        Assert.Equal("lab-1", (string?)second.Drain()[0].Object["spec"]!["room"]);
        Assert.Equal("lab-1", (string?)Store.Get(TestTypes.Device, "lab", "a")!["spec"]!["room"]);
    }

    [Fact]
    public void Changed_is_raised_after_each_commit_outside_the_lock()
    {
        var seen = new List<string>();
        Store.Changed += (type, eventType, obj) =>
        {
            seen.Add($"{eventType} {type.Kind} {obj.Name()}");
            // A handler may call back into the store (e.g. to serve a newly created kind).
            _ = Store.List(type, null, new());
        };
        var owner = Create(TestTypes.Device, Json.Device("thermo-1"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings").OwnedBy(owner));

        Delete(TestTypes.Device, "lab", "thermo-1");

        Assert.Equal(["ADDED Device thermo-1", "ADDED ConfigMap settings", "DELETED Device thermo-1", "DELETED ConfigMap settings"], seen);
    }

    [Fact]
    public async Task Reader_waiting_for_events_is_woken_by_a_write()
    {
        using var watch = Store.Watch(TestTypes.Device, null, new WatchOptions(Store.ResourceVersion));
        var next = watch.Events.ReadAsync();

        Create(TestTypes.Device, Json.Device("a"));

        Assert.Equal(WatchEventTypes.Added, (await next).Type);
    }
}
