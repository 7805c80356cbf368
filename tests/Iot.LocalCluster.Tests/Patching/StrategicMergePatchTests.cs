using System.Text.Json.Nodes;

using Iot.LocalCluster.Patching;

namespace Iot.LocalCluster.Tests.Patching;

public sealed class StrategicMergePatchTests
{
    private const string TwoContainerPod = """
        {'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':[
          {'name':'web','image':'nginx:1.25','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},
          {'name':'sidecar','image':'busybox'}]}}
        """;

    private static JsonNode? Patch(string original, string patch, string kind = "Pod") =>
        StrategicMergePatch.Apply(Json.Parse(original), Json.Parse(patch), kind);

    [Fact]
    public void Merges_containers_by_name_and_leaves_the_others_alone()
    {
        JsonNode? result = Patch(TwoContainerPod, "{'spec':{'containers':[{'name':'sidecar','image':'busybox:1.36'}]}}");

        Json.Equal("""
            [{'name':'web','image':'nginx:1.25','env':[{'name':'A','value':'1'},{'name':'B','value':'2'}]},{'name':'sidecar','image':'busybox:1.36'}]
            """, result!["spec"]!["containers"]);
    }

    [Fact]
    public void Merges_env_by_name()
    {
        JsonNode? result = Patch(TwoContainerPod, "{'spec':{'containers':[{'name':'web','env':[{'name':'B','value':'20'},{'name':'C','value':'3'}]}]}}");

        Json.Equal("[{'name':'A','value':'1'},{'name':'B','value':'20'},{'name':'C','value':'3'}]", result!["spec"]!["containers"]![0]!["env"]);
    }

    [Fact]
    public void Puts_a_new_item_before_the_server_only_items_when_no_order_is_given_as_the_Go_code_does()
    {
        JsonNode? result = Patch(TwoContainerPod, "{'spec':{'containers':[{'name':'debug','image':'alpine'}]}}");

        Assert.Equal(["debug", "web", "sidecar"], Names(result!["spec"]!["containers"]));
    }

    [Fact]
    public void Removes_an_item_marked_patch_delete()
    {
        JsonNode? result = Patch(TwoContainerPod, "{'spec':{'containers':[{'$patch':'delete','name':'sidecar'}]}}");

        Assert.Equal(["web"], Names(result!["spec"]!["containers"]));
    }

    [Fact]
    public void Replaces_a_list_holding_a_patch_replace_item()
    {
        JsonNode? result = Patch(TwoContainerPod, "{'spec':{'containers':[{'name':'only','image':'x'},{'$patch':'replace'}]}}");

        Json.Equal("[{'name':'only','image':'x'}]", result!["spec"]!["containers"]);
    }

    [Fact]
    public void Replaces_an_object_marked_patch_replace()
    {
        JsonNode? result = Patch(
            "{'metadata':{'labels':{'a':'1','b':'2'}}}",
            "{'metadata':{'labels':{'$patch':'replace','c':'3'}}}");

        Json.Equal("{'metadata':{'labels':{'c':'3'}}}", result);
    }

    [Fact]
    public void Deletes_members_set_to_null_and_merges_unknown_fields_as_objects()
    {
        JsonNode? result = Patch(
            "{'metadata':{'labels':{'a':'1','b':'2'}},'spec':{'custom':{'x':1,'y':{'z':2}}}}",
            "{'metadata':{'labels':{'a':null,'missing':null}},'spec':{'custom':{'y':{'w':3}}}}");

        Json.Equal("{'metadata':{'labels':{'b':'2'}},'spec':{'custom':{'x':1,'y':{'z':2,'w':3}}}}", result);
    }

    [Fact]
    public void Unions_finalizers()
    {
        JsonNode? result = Patch("{'metadata':{'finalizers':['a','b']}}", "{'metadata':{'finalizers':['b','c']}}");

        Json.Equal("{'metadata':{'finalizers':['a','b','c']}}", result);
    }

    [Fact]
    public void Deletes_from_a_primitive_list_with_the_parallel_directive()
    {
        JsonNode? result = Patch(
            "{'metadata':{'finalizers':['a','b','c']}}",
            "{'metadata':{'$deleteFromPrimitiveList/finalizers':['b'],'$setElementOrder/finalizers':['a','c']}}");

        Json.Equal("{'metadata':{'finalizers':['a','c']}}", result);
    }

    [Fact]
    public void Orders_a_merged_list_by_setElementOrder_as_kubectl_client_side_apply_sends_it()
    {
        const string Live = """
            {'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','labels':{'app':'web'}},
             'spec':{'replicas':1,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[
               {'name':'web','image':'nginx:1.25','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}}}
            """;
        // What kubectl apply computes when the manifest gains a label and a second container.
        const string KubectlPatch = """
            {'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'},'labels':{'tier':'frontend'}},
             'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'web'},{'name':'sidecar'}],
               'containers':[{'image':'busybox','name':'sidecar'}]}}}}
            """;

        JsonNode? result = Patch(Live, KubectlPatch, "Deployment");

        Json.Equal("""
            {'apiVersion':'apps/v1','kind':'Deployment',
             'metadata':{'name':'web','labels':{'app':'web','tier':'frontend'},'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'{}'}},
             'spec':{'replicas':1,'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[
               {'name':'web','image':'nginx:1.25','ports':[{'containerPort':80,'protocol':'TCP'}]},
               {'image':'busybox','name':'sidecar'}]}}}}
            """, result);
    }

    [Fact]
    public void Removes_a_container_as_kubectl_client_side_apply_sends_it()
    {
        JsonNode? result = Patch(TwoContainerPod, "{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'$patch':'delete','name':'sidecar'}]}}");

        Assert.Equal(["web"], Names(result!["spec"]!["containers"]));
    }

    [Fact]
    public void Reorders_a_list_given_only_setElementOrder()
    {
        JsonNode? result = Patch(TwoContainerPod, "{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'web'}]}}");

        Assert.Equal(["sidecar", "web"], Names(result!["spec"]!["containers"]));
    }

    [Fact]
    public void Rejects_a_list_that_contradicts_its_setElementOrder()
    {
        Assert.Throws<PatchException>(() => Patch(
            TwoContainerPod,
            "{'spec':{'$setElementOrder/containers':[{'name':'web'}],'containers':[{'name':'other','image':'x'}]}}"));
    }

    [Fact]
    public void Clears_the_fields_retainKeys_does_not_list()
    {
        JsonNode? result = Patch(
            "{'spec':{'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}",
            "Deployment");

        Json.Equal("{'spec':{'strategy':{'type':'Recreate'}}}", result);
    }

    [Fact]
    public void Rejects_a_patch_setting_a_field_retainKeys_does_not_list()
    {
        Assert.Throws<PatchException>(() => Patch(
            "{'spec':{'strategy':{'type':'RollingUpdate'}}}",
            "{'spec':{'strategy':{'$retainKeys':['type'],'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}}}}",
            "Deployment"));
    }

    [Fact]
    public void Merges_Service_ports_by_port()
    {
        JsonNode? result = Patch(
            "{'spec':{'ports':[{'name':'http','port':80,'targetPort':8080},{'name':'https','port':443,'targetPort':8443}]}}",
            "{'spec':{'ports':[{'port':80,'targetPort':9090}]}}",
            "Service");

        Json.Equal("{'spec':{'ports':[{'name':'http','port':80,'targetPort':9090},{'name':'https','port':443,'targetPort':8443}]}}", result);
    }

    [Fact]
    public void Merges_container_ports_by_containerPort()
    {
        JsonNode? result = Patch(
            "{'spec':{'containers':[{'name':'web','ports':[{'containerPort':80,'name':'http'}]}]}}",
            "{'spec':{'containers':[{'name':'web','ports':[{'containerPort':80,'protocol':'TCP'}]}]}}");

        Json.Equal("[{'containerPort':80,'name':'http','protocol':'TCP'}]", result!["spec"]!["containers"]![0]!["ports"]);
    }

    [Fact]
    public void Replaces_lists_without_a_merge_key()
    {
        JsonNode? result = Patch(
            "{'spec':{'tolerations':[{'key':'a'}],'containers':[{'name':'web','args':['x','y'],'envFrom':[{'configMapRef':{'name':'c'}}]}]}}",
            "{'spec':{'tolerations':[{'key':'b'}],'containers':[{'name':'web','args':['z'],'envFrom':[]}]}}");

        Json.Equal("{'spec':{'tolerations':[{'key':'b'}],'containers':[{'name':'web','args':['z'],'envFrom':[]}]}}", result);
    }

    [Fact]
    public void Merges_conditions_by_type_and_owner_references_by_uid()
    {
        JsonNode? result = Patch(
            "{'metadata':{'ownerReferences':[{'uid':'1','name':'a'}]},'status':{'conditions':[{'type':'Ready','status':'False'},{'type':'Synced','status':'True'}]}}",
            "{'metadata':{'ownerReferences':[{'uid':'1','name':'b'}]},'status':{'conditions':[{'type':'Ready','status':'True'}]}}",
            "Deployment");

        Json.Equal(
            "{'metadata':{'ownerReferences':[{'uid':'1','name':'b'}]},'status':{'conditions':[{'type':'Ready','status':'True'},{'type':'Synced','status':'True'}]}}",
            result);
    }

    [Fact]
    public void Leaves_no_directive_in_values_the_original_lacks()
    {
        JsonNode? result = Patch(
            "{}",
            "{'spec':{'$setElementOrder/containers':[{'name':'a'}],'containers':[{'name':'a','image':'x'},{'$patch':'delete','name':'b'}],'x':{'$patch':'merge','y':null}}}");

        Json.Equal("{'spec':{'containers':[{'name':'a','image':'x'}],'x':{}}}", result);
    }

    [Fact]
    public void Rejects_a_merge_list_item_without_its_merge_key()
    {
        Assert.Throws<PatchException>(() => Patch(TwoContainerPod, "{'spec':{'containers':[{'image':'x'}]}}"));
    }

    [Fact]
    public void Leaves_its_inputs_untouched()
    {
        JsonNode? original = Json.Parse(TwoContainerPod);
        JsonNode? patch = Json.Parse("{'spec':{'$setElementOrder/containers':[{'name':'sidecar'},{'name':'web'}],'containers':[{'name':'web','image':'x'}]}}");
        string originalText = original!.ToJsonString(), patchText = patch!.ToJsonString();

        _ = StrategicMergePatch.Apply(original, patch, "Pod");

        Assert.Equal(originalText, original.ToJsonString());
        Assert.Equal(patchText, patch.ToJsonString());
    }

    private static List<string> Names(JsonNode? list) => [.. list!.AsArray().Select(item => item!["name"]!.GetValue<string>())];
}
