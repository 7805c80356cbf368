using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Tests.Storage;

public sealed class CreateTests : StoreTestBase
{
    [Fact]
    public void Create_sets_identity_type_and_namespace()
    {
        var body = Json.Device("thermo-1", ns: null);
        body["apiVersion"] = "wrong/v0";

        var created = Store.Create(TestTypes.Device, "lab", body);

        var metadata = created.Meta();
        Assert.Equal("iotoperator.io/v1alpha1", (string?)created["apiVersion"]);
        Assert.Equal("Device", (string?)created["kind"]);
        Assert.Equal("lab", (string?)metadata["namespace"]);
        Assert.True(Guid.TryParse((string?)metadata["uid"], out _));
        Assert.Equal("2025-03-01T12:00:00Z", (string?)metadata["creationTimestamp"]);
        Assert.Equal(Store.ResourceVersion, created.ResourceVersion());
        Assert.Equal(1, created.Generation());
        Assert.Equal(["apiVersion", "kind", "metadata", "spec"], created.Select(p => p.Key));
    }

    [Fact]
    public void Created_object_can_be_read_back()
    {
        var created = Create(TestTypes.Device, Json.Device("thermo-1"));

        Assert.True(JsonNode.DeepEquals(created, Store.Get(TestTypes.Device, "lab", "thermo-1")));
        Assert.Null(Store.Get(TestTypes.Device, "lab", "thermo-2"));
        Assert.Null(Store.Get(TestTypes.Device, "elsewhere", "thermo-1"));
    }

    [Fact]
    public void Store_keeps_its_own_copies()
    {
        var body = Json.Device("thermo-1");
        var created = Create(TestTypes.Device, body);

        body["spec"]!["room"] = "changed-input";
        created["spec"]!["room"] = "changed-output";
        Store.Get(TestTypes.Device, "lab", "thermo-1")!["spec"]!["room"] = "changed-read";

        Assert.Equal("lab-1", (string?)Store.Get(TestTypes.Device, "lab", "thermo-1")!["spec"]!["room"]);
    }

    [Fact]
    public void Generate_name_gets_five_random_characters()
    {
        var body = Json.Device("", ns: null);
        body.Meta().Remove("name");
        body.Meta()["generateName"] = "thermo-";

        var name = Store.Create(TestTypes.Device, "lab", body).Name();

        Assert.Matches("^thermo-[bcdfghjklmnpqrstvwxz2456789]{5}$", name);
    }

    [Fact]
    public void Create_without_name_or_generate_name_is_invalid()
    {
        var body = Json.Device("");

        var error = Fails(() => Create(TestTypes.Device, body));

        Assert.Equal(422, error.Code);
        Assert.Equal("Invalid", error.Reason);
        Assert.Equal("Device.iotoperator.io \"\" is invalid: metadata.name: Required value: name or generateName is required", error.Message);
        Assert.Equal([("metadata.name", "FieldValueRequired", "Required value: name or generateName is required")], error.Causes);
    }

    [Fact]
    public void Create_of_existing_name_already_exists()
    {
        Create(TestTypes.Device, Json.Device("thermo-1"));

        var error = Fails(() => Create(TestTypes.Device, Json.Device("thermo-1", room: "other")));

        Assert.Equal(409, error.Code);
        Assert.Equal("AlreadyExists", error.Reason);
        Assert.Equal("devices.iotoperator.io \"thermo-1\" already exists", error.Message);
        Assert.Equal(("devices", "thermo-1", "iotoperator.io"), (error.Kind, error.Name, error.Group));
    }

    [Fact]
    public void Same_name_in_another_namespace_or_kind_is_a_different_object()
    {
        CreateNamespace("other");
        Create(TestTypes.Device, Json.Device("x"));

        Create(TestTypes.Device, Json.Device("x", ns: "other"));
        Create(TestTypes.ConfigMap, Json.ConfigMap("x"));

        Assert.Equal(2, Store.List(TestTypes.Device, null, new()).Items.Count);
    }

    [Fact]
    public void Body_namespace_that_disagrees_with_the_request_is_a_bad_request()
    {
        var error = Fails(() => Store.Create(TestTypes.Device, "other", Json.Device("thermo-1", ns: "lab")));

        Assert.Equal(400, error.Code);
        Assert.Equal("the namespace of the provided object does not match the namespace sent on the request", error.Message);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Namespaced_kind_needs_a_namespace(string? ns)
    {
        var error = Fails(() => Store.Create(TestTypes.Device, ns, Json.Device("thermo-1", ns: null)));

        Assert.Equal(400, error.Code);
        Assert.Equal("BadRequest", error.Reason);
    }

    [Fact]
    public void Create_in_a_missing_namespace_is_not_found()
    {
        var error = Fails(() => Store.Create(TestTypes.Device, "nowhere", Json.Device("thermo-1", ns: null)));

        Assert.Equal(404, error.Code);
        Assert.Equal("namespaces \"nowhere\" not found", error.Message);
    }

    [Fact]
    public void Cluster_scoped_object_has_no_namespace()
    {
        var body = Json.Node("node-1");
        body.Meta()["namespace"] = "lab";

        var created = Store.Create(TestTypes.Node, "ignored", body);

        Assert.Null(created.Meta()["namespace"]);
        Assert.NotNull(Store.Get(TestTypes.Node, null, "node-1"));
        Assert.NotNull(Store.Get(TestTypes.Node, "anything", "node-1"));
    }

    [Fact]
    public void Created_namespace_is_active()
    {
        var created = CreateNamespace("plant");

        Assert.Equal("""{"phase":"Active"}""", created["status"]!.ToJsonString());
        Assert.Null(created["spec"]);
    }

    [Fact]
    public void Create_drops_status_of_kinds_with_a_status_subresource()
    {
        var device = Json.Device("thermo-1");
        device["status"] = new JsonObject { ["phase"] = "Ready" };
        var configMap = Json.ConfigMap("settings");
        configMap["status"] = new JsonObject { ["kept"] = true };

        Assert.Null(Create(TestTypes.Device, device)["status"]);
        Assert.NotNull(Create(TestTypes.ConfigMap, configMap)["status"]);
    }

    [Fact]
    public void Create_clears_server_owned_metadata_from_the_body()
    {
        var body = Json.Device("thermo-1");
        body.Meta()["uid"] = "chosen-by-client";
        body.Meta()["generation"] = 7;
        body.Meta()["deletionTimestamp"] = "2020-01-01T00:00:00Z";

        var created = Create(TestTypes.Device, body);

        Assert.NotEqual("chosen-by-client", created.Uid());
        Assert.Equal(1, created.Generation());
        Assert.Null(created.Meta()["deletionTimestamp"]);
    }

    [Fact]
    public void Create_with_a_resource_version_is_a_bad_request()
    {
        var body = Json.Device("thermo-1");
        body.Meta()["resourceVersion"] = "5";

        var error = Fails(() => Create(TestTypes.Device, body));

        Assert.Equal(400, error.Code);
        Assert.Equal("resourceVersion should not be set on objects to be created", error.Message);
    }

    [Theory]
    [InlineData("Thermo_1", "a lowercase RFC 1123 subdomain must consist of")]
    [InlineData("-thermo", "a lowercase RFC 1123 subdomain must consist of")]
    public void Name_that_is_not_a_dns_subdomain_is_invalid(string name, string problem)
    {
        var error = Fails(() => Create(TestTypes.Device, Json.Device(name)));

        Assert.Equal(422, error.Code);
        var cause = Assert.Single(error.Causes);
        Assert.Equal(("metadata.name", "FieldValueInvalid"), (cause.Field, cause.Reason));
        Assert.StartsWith($"Invalid value: \"{name}\": {problem}", cause.Message, StringComparison.Ordinal);
        Assert.StartsWith($"Device.iotoperator.io \"{name}\" is invalid: metadata.name: Invalid value: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Namespace_names_are_dns_labels_and_rbac_names_path_segments()
    {
        Assert.Equal(422, Fails(() => CreateNamespace("a.b")).Code);

        var role = Json.Parse("""{"metadata": {"name": "system:controller:gc"}, "rules": []}""");
        Assert.Equal("system:controller:gc", Store.Create(TestTypes.ClusterRole, null, role).Name());
    }

    [Theory]
    [InlineData("bad key", "ok")]
    [InlineData("ok", "not ok!")]
    public void Invalid_label_is_invalid(string key, string value)
    {
        var error = Fails(() => Create(TestTypes.Device, Json.Device("thermo-1", labels: Json.Labels((key, value)))));

        Assert.Equal(422, error.Code);
        Assert.Equal("metadata.labels", Assert.Single(error.Causes).Field);
    }

    [Fact]
    public void Owner_reference_needs_api_version_kind_name_and_uid()
    {
        var body = Json.Device("thermo-1");
        body.Meta()["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = "Room", ["name"] = "lab-1" });

        var error = Fails(() => Create(TestTypes.Device, body));

        Assert.Equal(422, error.Code);
        Assert.Equal(["metadata.ownerReferences.apiVersion", "metadata.ownerReferences.uid"], error.Causes.Select(c => c.Field));
        Assert.Contains("[metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty, ", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"metadata": []}""")]
    [InlineData("""{"metadata": {"name": 5}}""")]
    [InlineData("""{"metadata": {"name": "x", "labels": {"a": 1}}}""")]
    [InlineData("""{"metadata": {"name": "x", "finalizers": "a"}}""")]
    [InlineData("""{"metadata": {"name": "x", "ownerReferences": [{"uid": 1}]}}""")]
    public void Metadata_of_the_wrong_json_type_is_a_bad_request(string body)
    {
        Assert.Equal(400, Fails(() => Store.Create(TestTypes.Device, "lab", Json.Parse(body))).Code);
    }
}
