using System.Net;

using Iot.Api;

using k8s;
using k8s.Models;

namespace Iot.LocalCluster.Tests.Http;

public sealed class VerbTests
{
    [Fact]
    public async Task List_filters_by_equality_and_set_based_label_selectors()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("a", labels: new() { ["zone"] = "north", ["tier"] = "1" }));
        await client.CreateDeviceAsync(Clusters.NewDevice("b", labels: new() { ["zone"] = "south" }));
        await client.CreateDeviceAsync(Clusters.NewDevice("c"));
        Assert.Equal(["a"], (await client.ListDevicesAsync("zone=north")).Select(d => d.Metadata.Name));
        Assert.Equal(["b", "c"], (await client.ListDevicesAsync("zone!=north")).Select(d => d.Metadata.Name));
        Assert.Equal(["a", "b"], (await client.ListDevicesAsync("zone in (north,south)")).Select(d => d.Metadata.Name));
        Assert.Equal(["c"], (await client.ListDevicesAsync("!zone")).Select(d => d.Metadata.Name));
        Assert.Equal(["a"], (await client.ListDevicesAsync("zone,tier")).Select(d => d.Metadata.Name));
    }

    [Fact]
    public async Task List_filters_by_field_selector()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        await client.CreateDeviceAsync(Clusters.NewDevice("b"));
        Assert.Equal(["b"], (await client.ListDevicesAsync(fieldSelector: "metadata.name=b")).Select(d => d.Metadata.Name));
        Assert.Equal(["a"], (await client.ListDevicesAsync(fieldSelector: "metadata.namespace=building-a,metadata.name!=b")).Select(d => d.Metadata.Name));
    }

    [Fact]
    public async Task A_malformed_selector_is_400()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await Clusters.FailureAsync(() => client.ListDevicesAsync("zone in (north"))).Code);
    }

    [Fact]
    public async Task List_pages_with_limit_and_continue()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        for (var i = 0; i < 25; i++)
        {
            await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = $"cfg-{i:00}" } }, Clusters.Namespace);
        }

        var names = new List<string>();
        string? next = null;
        var pages = 0;
        do
        {
            var page = await client.CoreV1.ListNamespacedConfigMapAsync(Clusters.Namespace, limit: 10, continueParameter: next);
            names.AddRange(page.Items.Select(c => c.Metadata.Name));
            next = page.Metadata.ContinueProperty;
            pages++;
        }
        while (next is not null);
        Assert.Equal(3, pages);
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"cfg-{i:00}"), names);
    }

    [Fact]
    public async Task Json_patch_edits_by_pointer()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        var patched = await client.PatchDeviceAsync("a", """[{"op":"add","path":"/spec/room","value":"lab-1"},{"op":"replace","path":"/spec/telemetry/0/name","value":"temp"}]""", V1Patch.PatchType.JsonPatch);
        Assert.Equal(("lab-1", "temp"), (patched.Spec.Room, patched.Spec.Telemetry![0].Name));
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web", ("app", "nginx:1"), ("sidecar", "envoy:1")), Clusters.Namespace);
        var patched = await client.AppsV1.PatchNamespacedDeploymentAsync(
            new V1Patch("""{"spec":{"template":{"spec":{"containers":[{"name":"app","image":"nginx:2"}]}}}}""", V1Patch.PatchType.StrategicMergePatch), "web", Clusters.Namespace);
        Assert.Equal(["app=nginx:2", "sidecar=envoy:1"], patched.Spec.Template.Spec.Containers.Select(c => $"{c.Name}={c.Image}"));
    }

    [Fact]
    public async Task Strategic_merge_patch_is_refused_for_custom_resources()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, (await Clusters.FailureAsync(() => client.PatchDeviceAsync("a", """{"spec":{}}""", V1Patch.PatchType.StrategicMergePatch))).Code);
    }

    [Fact]
    public async Task Server_side_apply_creates_then_merges_and_records_the_manager()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        // KubernetesClient sends apply patches as JSON, which is YAML too.
        const string Applied = """
            {"apiVersion": "iotoperator.io/v1alpha1", "kind": "Device", "metadata": {"name": "a", "namespace": "building-a", "labels": {"zone": "north"}},
             "spec": {"type": "thermostat"}}
            """;
        var created = await client.PatchDeviceAsync("a", Applied, V1Patch.PatchType.ApplyPatch, fieldManager: "gitops", force: true);
        Assert.Equal("north", created.Metadata.Labels["zone"]);
        var merged = await client.PatchDeviceAsync("a", Applied.Replace("\"type\": \"thermostat\"", "\"type\": \"thermostat\", \"room\": \"lab-1\"", StringComparison.Ordinal), V1Patch.PatchType.ApplyPatch, fieldManager: "gitops");
        Assert.Equal(("lab-1", "north"), (merged.Spec.Room, merged.Metadata.Labels["zone"]));
        Assert.Contains(merged.Metadata.ManagedFields, m => m.Manager == "gitops" && m.Operation == "Apply");
    }

    [Fact]
    public async Task Apply_without_a_field_manager_is_400()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        Assert.Equal(HttpStatusCode.BadRequest, (await Clusters.FailureAsync(() => client.PatchDeviceAsync("a", "{}", V1Patch.PatchType.ApplyPatch))).Code);
    }

    [Fact]
    public async Task Delete_collection_deletes_what_the_selector_matches()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("a", labels: new() { ["zone"] = "north" }));
        await client.CreateDeviceAsync(Clusters.NewDevice("b"));
        await client.CustomObjects.DeleteCollectionNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", labelSelector: "zone=north");
        Assert.Equal(["b"], (await client.ListDevicesAsync()).Select(d => d.Metadata.Name));
    }

    internal static V1Deployment Deployment(string name, params (string Name, string Image)[] containers) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = name } },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [.. containers.Select(c => new V1Container { Name = c.Name, Image = c.Image })] },
            },
        },
    };
}
