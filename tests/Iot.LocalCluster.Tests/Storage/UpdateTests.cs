using System.Text.Json.Nodes;

using Iot.LocalCluster.Storage;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class UpdateTests : StoreTestBase
{
    [Fact]
    public void Update_of_a_missing_object_is_not_found()
    {
        var error = Fails(() => Store.Update(TestTypes.Device, "lab", "thermo-1", Json.Device("thermo-1"), new UpdateOptions()));

        Assert.Equal(404, error.Code);
        Assert.Equal("NotFound", error.Reason);
        Assert.Equal("devices.iotoperator.io \"thermo-1\" not found", error.Message);
        Assert.Equal(("devices", "thermo-1", "iotoperator.io"), (error.Kind, error.Name, error.Group));
        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-1"));
    }

    [Fact]
    public void Core_kinds_are_named_by_their_plural_alone()
    {
        var error = Fails(() => Delete(TestTypes.ConfigMap, "lab", "settings"));

        Assert.Equal("configmaps \"settings\" not found", error.Message);
    }

    [Fact]
    public void Update_with_stale_resource_version_is_a_conflict()
    {
        var stale = Create(TestTypes.Device, Json.Device("thermo-1"));
        Change(TestTypes.Device, "lab", "thermo-1", d => d["spec"]!["room"] = "lab-2");
        stale["spec"]!["room"] = "lab-3";

        var error = Fails(() => Store.Update(TestTypes.Device, "lab", "thermo-1", stale, new UpdateOptions()));

        Assert.Equal(409, error.Code);
        Assert.Equal("Conflict", error.Reason);
        Assert.Equal(
            "Operation cannot be fulfilled on devices.iotoperator.io \"thermo-1\": the object has been modified; please apply your changes to the latest version and try again",
            error.Message);
        Assert.Equal("lab-2", (string?)Store.Get(TestTypes.Device, "lab", "thermo-1")!["spec"]!["room"]);
    }

    [Fact]
    public void Update_without_resource_version_is_unconditional_unless_required()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));

        var updated = Store.Update(TestTypes.Device, "lab", "thermo-1", Json.Device("thermo-1", room: "lab-2"), new UpdateOptions());
        var error = Fails(() => Store.Update(TestTypes.Device, "lab", "thermo-1", Json.Device("thermo-1"), new UpdateOptions(RequireResourceVersion: true)));

        Assert.Equal("lab-2", (string?)updated["spec"]!["room"]);
        Assert.Equal(422, error.Code);
        Assert.Equal(("metadata.resourceVersion", "FieldValueInvalid", "Invalid value: 0x0: must be specified for an update"), Assert.Single(error.Causes));
    }

    [Fact]
    public void Update_keeps_server_owned_metadata()
    {
        var created = Create(TestTypes.Device, Json.Device("thermo-1"));
        Clock.Advance(TimeSpan.FromHours(1));
        var body = Json.Device("thermo-1", labels: Json.Labels(("zone", "north")));
        body.Meta()["creationTimestamp"] = "1999-01-01T00:00:00Z";
        body.Meta()["generation"] = 42;
        body.Meta()["deletionTimestamp"] = "1999-01-01T00:00:00Z";

        var updated = Store.Update(TestTypes.Device, "lab", "thermo-1", body, new UpdateOptions());

        Assert.Equal(created.Uid(), updated.Uid());
        Assert.Equal("2025-03-01T12:00:00Z", (string?)updated.Meta()["creationTimestamp"]);
        Assert.Equal(1, updated.Generation());
        Assert.Null(updated.Meta()["deletionTimestamp"]);
        Assert.Equal("north", (string?)updated.Meta()["labels"]!["zone"]);
    }

    [Fact]
    public void Update_with_another_uid_is_a_conflict()
    {
        var created = Create(TestTypes.Device, Json.Device("thermo-1"));
        var body = Json.Device("thermo-1");
        body.Meta()["uid"] = "other-uid";

        var error = Fails(() => Store.Update(TestTypes.Device, "lab", "thermo-1", body, new UpdateOptions()));

        Assert.Equal(409, error.Code);
        Assert.EndsWith($"Precondition failed: UID in precondition: other-uid, UID in object meta: {created.Uid()}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Update_with_another_name_or_namespace_is_a_bad_request()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));

        var name = Fails(() => Store.Update(TestTypes.Device, "lab", "thermo-1", Json.Device("thermo-2"), new UpdateOptions()));
        var ns = Fails(() => Store.Update(TestTypes.Device, "lab", "thermo-1", Json.Device("thermo-1", ns: "other"), new UpdateOptions()));

        Assert.Equal("the name of the object (thermo-2) does not match the name on the URL (thermo-1)", name.Message);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", ns.Message);
    }

    [Fact]
    public void Main_resource_update_ignores_status()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));
        Change(TestTypes.Device, "lab", "thermo-1", d => d["status"] = Json.Parse("""{"phase": "Ready"}"""), UpdateOptions.Status);

        var updated = Change(TestTypes.Device, "lab", "thermo-1", d =>
        {
            d["spec"]!["room"] = "lab-2";
            d["status"] = Json.Parse("""{"phase": "Hacked"}""");
        });

        Assert.Equal("lab-2", (string?)updated["spec"]!["room"]);
        Assert.Equal("Ready", (string?)updated["status"]!["phase"]);
    }

    [Fact]
    public void Status_update_ignores_everything_but_status()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));

        var updated = Change(TestTypes.Device, "lab", "thermo-1", d =>
        {
            d["spec"]!["room"] = "lab-2";
            d.Meta()["labels"] = Json.Labels(("zone", "north"));
            d["status"] = Json.Parse("""{"phase": "Ready"}""");
        }, UpdateOptions.Status);

        Assert.Equal("lab-1", (string?)updated["spec"]!["room"]);
        Assert.Null(updated.Meta()["labels"]);
        Assert.Equal("Ready", (string?)updated["status"]!["phase"]);
    }

    [Fact]
    public void Status_update_without_status_clears_it()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));
        Change(TestTypes.Device, "lab", "thermo-1", d => d["status"] = Json.Parse("""{"phase": "Ready"}"""), UpdateOptions.Status);

        var updated = Change(TestTypes.Device, "lab", "thermo-1", d => d.Remove("status"), UpdateOptions.Status);

        Assert.Null(updated["status"]);
    }

    [Fact]
    public void Kind_without_status_subresource_takes_status_with_the_main_resource_and_has_no_status_endpoint()
    {
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings"));

        var updated = Change(TestTypes.ConfigMap, "lab", "settings", c => c["status"] = Json.Parse("""{"seen": true}"""));
        var error = Fails(() => Change(TestTypes.ConfigMap, "lab", "settings", _ => { }, UpdateOptions.Status));

        Assert.NotNull(updated["status"]);
        Assert.Equal(404, error.Code);
        Assert.Equal("the server could not find the requested resource", error.Message);
    }

    [Fact]
    public void Spec_change_increments_generation()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));

        var updated = Change(TestTypes.Device, "lab", "thermo-1", d => d["spec"]!["room"] = "lab-2");

        Assert.Equal(2, updated.Generation());
    }

    [Fact]
    public void Status_or_metadata_change_keeps_generation()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));

        var status = Change(TestTypes.Device, "lab", "thermo-1", d => d["status"] = Json.Parse("""{"phase": "Ready"}"""), UpdateOptions.Status);
        var labels = Change(TestTypes.Device, "lab", "thermo-1", d => d.Meta()["labels"] = Json.Labels(("zone", "north")));
        var other = Change(TestTypes.Device, "lab", "thermo-1", d => d["extra"] = "outside spec");

        Assert.Equal([1L, 1L, 1L], new[] { status, labels, other }.Select(o => o.Generation()));
        Assert.True(other.ResourceVersion() > labels.ResourceVersion());
    }

    [Fact]
    public void For_kinds_without_spec_any_change_outside_metadata_and_status_increments_generation()
    {
        Create(TestTypes.ConfigMap, Json.ConfigMap("settings"));

        var data = Change(TestTypes.ConfigMap, "lab", "settings", c => c["data"]!["value"] = "2");
        var added = Change(TestTypes.ConfigMap, "lab", "settings", c => c["binaryData"] = new JsonObject());
        var labels = Change(TestTypes.ConfigMap, "lab", "settings", c => c.Meta()["labels"] = Json.Labels(("a", "b")));
        var status = Change(TestTypes.ConfigMap, "lab", "settings", c => c["status"] = Json.Parse("""{"seen": true}"""));

        Assert.Equal([2L, 3L, 3L, 3L], new[] { data, added, labels, status }.Select(o => o.Generation()));
    }
}
