using System.Text.Json.Nodes;

using Iot.LocalCluster.Patching;

namespace Iot.LocalCluster.Tests.Patching;

public sealed class ServerSideApplyTests
{
    private static readonly DateTimeOffset Now = new(2025, 1, 2, 3, 4, 5, TimeSpan.Zero);
    private static readonly DateTimeOffset Later = Now.AddMinutes(5);

    private const string WebDeployment = """
        {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default','labels':{'app':'web'}},
         'spec':{'replicas':1,'selector':{'matchLabels':{'app':'web'}},'template':{'metadata':{'labels':{'app':'web'}},
           'spec':{'containers':[{'name':'web','image':'nginx:1.25','ports':[{'containerPort':80}]}]}}}}
        """;

    private static JsonObject Apply(JsonObject? live, string applied, string manager, bool force = false, DateTimeOffset? at = null) =>
        ServerSideApply.Apply(live, Json.Object(applied), manager, force, "Deployment", at ?? Now);

    [Fact]
    public void Creates_the_object_from_nothing()
    {
        JsonObject created = Apply(null, WebDeployment, "kubectl");

        JsonObject withoutManagedFields = created.DeepClone().AsObject();
        withoutManagedFields["metadata"]!.AsObject().Remove("managedFields");
        Json.Equal(WebDeployment, withoutManagedFields);
    }

    [Fact]
    public void Records_the_apply_in_managedFields_in_the_API_server_format()
    {
        JsonObject created = Apply(null, WebDeployment, "kubectl");

        Json.Equal(JsonNode.Parse("""
            [{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1","time":"2025-01-02T03:04:05Z","fieldsType":"FieldsV1","fieldsV1":{
              "f:metadata":{"f:labels":{"f:app":{}}},
              "f:spec":{"f:replicas":{},"f:selector":{},"f:template":{"f:metadata":{"f:labels":{"f:app":{}}},"f:spec":{"f:containers":{
                "k:{\"name\":\"web\"}":{".":{},"f:image":{},"f:name":{},"f:ports":{"k:{\"containerPort\":80}":{".":{},"f:containerPort":{}}}}}}}}}}]
            """), created["metadata"]!["managedFields"]);
    }

    [Fact]
    public void Ignores_server_owned_metadata_in_the_applied_object()
    {
        JsonObject created = Apply(null, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','uid':'u','resourceVersion':'7','generation':3,'creationTimestamp':'2020-01-01T00:00:00Z'},'data':{'a':'1'}}", "kubectl");

        Assert.Equal(["name", "managedFields"], created["metadata"]!.AsObject().Select(member => member.Key));
        Assert.Equal([".data.a"], Owned(created, "kubectl"));
    }

    [Fact]
    public void Merges_into_the_live_object_and_keeps_the_fields_of_other_managers()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");

        JsonObject result = Apply(live, """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'team':'a'}},
             'spec':{'template':{'spec':{'containers':[{'name':'sidecar','image':'busybox'}]}}}}
            """, "injector");

        Json.Equal("{'app':'web','team':'a'}", result["metadata"]!["labels"]);
        Assert.Equal(["web", "sidecar"], ContainerNames(result));
        Assert.Equal(1, result["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(Owned(live, "kubectl"), Owned(result, "kubectl"));
        Assert.Equal(
            [".metadata.labels.team", ".spec.template.spec.containers[name=\"sidecar\"]", ".spec.template.spec.containers[name=\"sidecar\"].image", ".spec.template.spec.containers[name=\"sidecar\"].name"],
            Owned(result, "injector"));
    }

    [Fact]
    public void Removes_fields_the_manager_applied_before_but_no_longer_applies()
    {
        JsonObject live = Apply(null, """
            {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'app':'web','tier':'front'}},
             'spec':{'containers':[{'name':'web','image':'nginx'},{'name':'sidecar','image':'busybox','args':['x']}]}}
            """, "kubectl");

        JsonObject result = Apply(live, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p','labels':{'app':'web'}},'spec':{'containers':[{'name':'web','image':'nginx'}]}}", "kubectl");

        Json.Equal("{'app':'web'}", result["metadata"]!["labels"]);
        Assert.Equal(["web"], ContainerNames(result));
        Assert.DoesNotContain(Owned(result, "kubectl"), path => path.Contains("sidecar", StringComparison.Ordinal) || path.Contains("tier", StringComparison.Ordinal));
    }

    [Fact]
    public void Keeps_a_field_it_no_longer_applies_when_another_manager_owns_it_too()
    {
        JsonObject live = Apply(null, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1','shared':'s'}}", "first");
        live = Apply(live, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'shared':'s'}}", "second");

        JsonObject result = Apply(live, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'},'data':{'a':'1'}}", "first");

        Json.Equal("{'a':'1','shared':'s'}", result["data"]);
        Assert.Equal([".data.a"], Owned(result, "first"));
        Assert.Equal([".data.shared"], Owned(result, "second"));
    }

    [Fact]
    public void Shares_ownership_when_another_manager_applies_an_equal_value()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");

        JsonObject result = Apply(live, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':1}}", "autoscaler");

        Assert.Contains(".spec.replicas", Owned(result, "kubectl"));
        Assert.Equal([".spec.replicas"], Owned(result, "autoscaler"));
    }

    [Fact]
    public void Refuses_to_change_a_field_another_manager_owns()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");

        ApplyConflictException conflict = Assert.Throws<ApplyConflictException>(
            () => Apply(live, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':3}}", "autoscaler"));

        ApplyConflict only = Assert.Single(conflict.Conflicts);
        Assert.Equal(("kubectl", ".spec.replicas"), (only.Manager, only.Field));
        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl\": .spec.replicas", conflict.Message);
    }

    [Fact]
    public void Lists_every_conflict_by_manager()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");

        ApplyConflictException conflict = Assert.Throws<ApplyConflictException>(() => Apply(live, """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},
             'spec':{'replicas':3,'template':{'spec':{'containers':[{'name':'web','image':'nginx:1.27'}]}}}}
            """, "other"));

        Assert.Equal(
            "Apply failed with 2 conflicts: conflicts with \"kubectl\":\n- .spec.replicas\n- .spec.template.spec.containers[name=\"web\"].image",
            conflict.Message);
    }

    [Fact]
    public void Takes_the_field_from_its_owner_when_forced()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");

        JsonObject result = Apply(live, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':3}}", "autoscaler", force: true);

        Assert.Equal(3, result["spec"]!["replicas"]!.GetValue<int>());
        Assert.DoesNotContain(".spec.replicas", Owned(result, "kubectl"));
        Assert.Equal([".spec.replicas"], Owned(result, "autoscaler"));
    }

    [Fact]
    public void Conflicts_with_fields_an_update_took_naming_its_version_and_time()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");
        JsonObject edited = live.DeepClone().AsObject();
        edited["spec"]!["replicas"] = 5;
        live = ServerSideApply.RecordUpdate(live, edited, "kubectl-edit", Later);

        ApplyConflictException conflict = Assert.Throws<ApplyConflictException>(() => Apply(live, WebDeployment, "kubectl", at: Later));

        Assert.Equal("Apply failed with 1 conflict: conflict with \"kubectl-edit\" using apps/v1 at 2025-01-02T03:09:05Z: .spec.replicas", conflict.Message);
    }

    [Fact]
    public void Merges_conditions_by_type_and_replaces_the_other_lists_of_custom_resources()
    {
        const string Device = "{'apiVersion':'iotoperator.io/v1alpha1','kind':'Device','metadata':{'name':'d'},'spec':{'tags':['a','b']},'status':{'conditions':[{'type':'Ready','status':'True'}]}}";
        JsonObject live = ServerSideApply.Apply(null, Json.Object(Device), "operator", false, "Device", Now);

        JsonObject result = ServerSideApply.Apply(
            live,
            Json.Object("{'apiVersion':'iotoperator.io/v1alpha1','kind':'Device','metadata':{'name':'d'},'spec':{'tags':['a','b']},'status':{'conditions':[{'type':'Synced','status':'False'}]}}"),
            "syncer",
            false,
            "Device",
            Now);

        Json.Equal("[{'type':'Ready','status':'True'},{'type':'Synced','status':'False'}]", result["status"]!["conditions"]);
        Assert.Contains(".spec.tags", Owned(result, "syncer"));
        Assert.Contains(".status.conditions[type=\"Synced\"].status", Owned(result, "syncer"));
    }

    [Fact]
    public void Leaves_the_object_and_its_times_alone_when_nothing_changes()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");

        JsonObject again = Apply(live, WebDeployment, "kubectl", at: Later);

        Json.Equal(live, again);
    }

    [Fact]
    public void Gives_the_fields_of_an_object_without_managedFields_to_before_first_apply()
    {
        JsonObject unmanaged = Json.Object(WebDeployment);

        ApplyConflictException conflict = Assert.Throws<ApplyConflictException>(
            () => Apply(unmanaged, "{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':2}}", "kubectl"));

        Assert.Equal("before-first-apply", Assert.Single(conflict.Conflicts).Manager);
    }

    [Fact]
    public void Treats_finalizers_as_a_set_each_manager_owns_its_values_of()
    {
        JsonObject live = Apply(null, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['a.io/one']}}", "first");
        live = Apply(live, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','finalizers':['b.io/two']}}", "second");

        JsonObject result = Apply(live, "{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c'}}", "first");

        Json.Equal("['b.io/two']", result["metadata"]!["finalizers"]);
        Assert.Equal([".metadata.finalizers[=\"b.io/two\"]"], Owned(result, "second"));
    }

    [Fact]
    public void Keeps_a_list_item_it_no_longer_applies_while_another_manager_owns_fields_in_it()
    {
        JsonObject live = Apply(null, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'web','image':'nginx'}]}}", "first");
        live = Apply(live, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'name':'web','resources':{'limits':{'cpu':'1'}}}]}}", "tuner");

        JsonObject result = Apply(live, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'}}", "first");

        Json.Equal("[{'name':'web','resources':{'limits':{'cpu':'1'}}}]", result["spec"]!["containers"]);
    }

    [Fact]
    public void Replaces_atomic_lists_and_label_selectors_whole()
    {
        JsonObject live = Apply(null, """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'selector':{'matchLabels':{'app':'web','tier':'a'}},
             'template':{'spec':{'containers':[{'name':'web','args':['--a','--b']}]}}}}
            """, "kubectl");

        JsonObject result = Apply(live, """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'selector':{'matchLabels':{'app':'web'}},
             'template':{'spec':{'containers':[{'name':'web','args':['--c']}]}}}}
            """, "kubectl");

        Json.Equal("{'matchLabels':{'app':'web'}}", result["spec"]!["selector"]);
        Json.Equal("['--c']", result["spec"]!["template"]!["spec"]!["containers"]![0]!["args"]);
        Assert.Contains(".spec.template.spec.containers[name=\"web\"].args", Owned(result, "kubectl"));
    }

    [Fact]
    public void Records_status_writes_under_the_status_subresource()
    {
        JsonObject before = Apply(null, WebDeployment, "kubectl");
        JsonObject after = before.DeepClone().AsObject();
        after["status"] = new JsonObject { ["readyReplicas"] = 1 };

        JsonObject result = ServerSideApply.RecordUpdate(before, after, "deployment-controller", Now, "status");

        Assert.Equal("status", Entry(result, "deployment-controller")["subresource"]!.GetValue<string>());
        Assert.Equal([".status.readyReplicas"], Owned(result, "deployment-controller"));
    }

    [Fact]
    public void Rejects_a_keyed_list_item_without_its_key()
    {
        Assert.Throws<PatchException>(() => Apply(null, "{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[{'image':'x'}]}}", "kubectl"));
    }

    [Fact]
    public void Leaves_its_inputs_untouched()
    {
        JsonObject live = Apply(null, WebDeployment, "kubectl");
        JsonObject applied = Json.Object("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'replicas':3}}");
        string liveText = live.ToJsonString(), appliedText = applied.ToJsonString();

        _ = ServerSideApply.Apply(live, applied, "autoscaler", true, "Deployment", Later);

        Assert.Equal(liveText, live.ToJsonString());
        Assert.Equal(appliedText, applied.ToJsonString());
    }

    [Fact]
    public void Records_an_update_as_the_fields_it_changed()
    {
        JsonObject before = Apply(null, WebDeployment, "kubectl");
        JsonObject after = before.DeepClone().AsObject();
        after["spec"]!["replicas"] = 4;
        after["metadata"]!["annotations"] = new JsonObject { ["note"] = "x" };

        JsonObject result = ServerSideApply.RecordUpdate(before, after, "kubectl-edit", Later);

        Assert.Equal([".metadata.annotations.note", ".spec.replicas"], Owned(result, "kubectl-edit"));
        Assert.DoesNotContain(".spec.replicas", Owned(result, "kubectl"));
        JsonObject entry = Entry(result, "kubectl-edit");
        Assert.Equal(("Update", "apps/v1", "2025-01-02T03:09:05Z"), (entry["operation"]!.GetValue<string>(), entry["apiVersion"]!.GetValue<string>(), entry["time"]!.GetValue<string>()));
    }

    [Fact]
    public void Records_a_create_as_owning_every_field()
    {
        JsonObject created = ServerSideApply.RecordUpdate(null, Json.Object("{'apiVersion':'v1','kind':'ConfigMap','metadata':{'name':'c','labels':{'a':'1'}},'data':{'k':'v'}}"), "kubectl-create", Now);

        Assert.Equal([".data.k", ".metadata.labels.a"], Owned(created, "kubectl-create"));
    }

    [Fact]
    public void Records_nothing_for_an_update_that_changes_nothing()
    {
        JsonObject before = Apply(null, WebDeployment, "kubectl");

        JsonObject result = ServerSideApply.RecordUpdate(before, before, "kubectl-edit", Later);

        Json.Equal(before, result);
    }

    [Fact]
    public void Forgets_the_owners_of_fields_an_update_removed()
    {
        JsonObject before = Apply(null, WebDeployment, "kubectl");
        JsonObject after = before.DeepClone().AsObject();
        after["metadata"]!.AsObject().Remove("labels");

        JsonObject result = ServerSideApply.RecordUpdate(before, after, "kubectl-edit", Later);

        Assert.DoesNotContain(".metadata.labels.app", Owned(result, "kubectl"));
        Assert.Null(result["metadata"]!["managedFields"]!.AsArray().FirstOrDefault(entry => entry!["manager"]!.GetValue<string>() == "kubectl-edit"));
    }

    private static JsonObject Entry(JsonObject obj, string manager) =>
        obj["metadata"]!["managedFields"]!.AsArray().Single(entry => entry!["manager"]!.GetValue<string>() == manager)!.AsObject();

    private static List<string> Owned(JsonObject obj, string manager) =>
        [.. FieldSet.FromFieldsV1(Entry(obj, manager)["fieldsV1"]!.AsObject()).Paths.Select(path => path.ToString()).Order(StringComparer.Ordinal)];

    private static List<string> ContainerNames(JsonObject obj) =>
        [.. obj["spec"]!["template"]?["spec"]?["containers"] is JsonArray templateContainers ? templateContainers.Select(Name) : obj["spec"]!["containers"]!.AsArray().Select(Name)];

    private static string Name(JsonNode? container) => container!["name"]!.GetValue<string>();
}
