using System.Net;

using k8s;
using k8s.Models;

namespace Iot.LocalCluster.Tests.Http;

public sealed class ObjectSemanticsTests
{
    [Fact]
    public async Task Created_objects_get_uid_timestamp_resource_version_and_generation()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var first = await client.CreateDeviceAsync(Clusters.NewDevice("thermo-1"));
        var second = await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, Clusters.Namespace);
        Assert.True(Guid.TryParse(first.Metadata.Uid, out _));
        Assert.NotNull(first.Metadata.CreationTimestamp);
        Assert.Equal(1, first.Metadata.Generation);
        Assert.True(long.Parse(second.Metadata.ResourceVersion) > long.Parse(first.Metadata.ResourceVersion), "one global, increasing resourceVersion");
    }

    [Fact]
    public async Task Generation_moves_on_spec_changes_only()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("thermo-1"));
        var labelled = await client.PatchDeviceAsync("thermo-1", """{"metadata":{"labels":{"zone":"north"}}}""");
        Assert.Equal(1, labelled.Metadata.Generation);
        var changed = await client.PatchDeviceAsync("thermo-1", """{"spec":{"room":"lab-1"}}""");
        Assert.Equal(2, changed.Metadata.Generation);
    }

    [Fact]
    public async Task Kinds_without_spec_bump_generation_on_data_changes()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" }, Data = new Dictionary<string, string> { ["a"] = "1" } }, Clusters.Namespace);
        var patched = await client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("""{"data":{"a":"2"}}""", V1Patch.PatchType.MergePatch), "cfg", Clusters.Namespace);
        Assert.Equal(2, patched.Metadata.Generation);
    }

    [Fact]
    public async Task GenerateName_makes_a_unique_name()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var device = Clusters.NewDevice("");
        device.Metadata.Name = null;
        device.Metadata.GenerateName = "sensor-";
        var a = await client.CreateDeviceAsync(device);
        var b = await client.CreateDeviceAsync(device);
        Assert.StartsWith("sensor-", a.Metadata.Name, StringComparison.Ordinal);
        Assert.NotEqual(a.Metadata.Name, b.Metadata.Name);
    }

    [Fact]
    public async Task Creating_an_existing_name_is_409_AlreadyExists()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("thermo-1"));
        var (code, status) = await Clusters.FailureAsync(() => client.CreateDeviceAsync(Clusters.NewDevice("thermo-1")));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("AlreadyExists", (string)status["reason"]!);
        Assert.Equal("devices.iotoperator.io \"thermo-1\" already exists", (string)status["message"]!);
    }

    [Fact]
    public async Task Update_with_a_stale_resource_version_is_409_Conflict()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var original = await client.CreateDeviceAsync(Clusters.NewDevice("thermo-1"));
        await client.PatchDeviceAsync("thermo-1", """{"spec":{"room":"lab-1"}}""");
        original.Spec.Room = "lab-2";
        var (code, status) = await Clusters.FailureAsync(() => client.ReplaceDeviceAsync(original));
        Assert.Equal(HttpStatusCode.Conflict, code);
        Assert.Equal("Conflict", (string)status["reason"]!);
        Assert.Contains("the object has been modified", (string)status["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Custom_resources_need_a_resource_version_on_update()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("thermo-1"));
        var (code, status) = await Clusters.FailureAsync(() => client.ReplaceDeviceAsync(Clusters.NewDevice("thermo-1")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("metadata.resourceVersion", (string)status["details"]!["causes"]![0]!["field"]!);
    }

    [Fact]
    public async Task Missing_objects_are_404_NotFound_with_details()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var (code, status) = await Clusters.FailureAsync(() => client.GetDeviceAsync("nope"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal(("NotFound", "devices.iotoperator.io \"nope\" not found", "nope"), ((string)status["reason"]!, (string)status["message"]!, (string)status["details"]!["name"]!));
    }

    [Fact]
    public async Task Namespaced_objects_need_an_existing_namespace()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var (code, status) = await Clusters.FailureAsync(() => client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "cfg" } }, "missing"));
        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal("namespaces \"missing\" not found", (string)status["message"]!);
    }

    [Fact]
    public async Task Deleting_a_namespace_deletes_its_contents()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync(new LocalClusterOptions { NamespaceCleanupDelay = TimeSpan.Zero });
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("thermo-1"));
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["k"] = "v" } }, Clusters.Namespace);
        await client.CoreV1.DeleteNamespaceAsync(Clusters.Namespace);
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.GetDeviceAsync("thermo-1"))).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.CoreV1.ReadNamespacedSecretAsync("s", Clusters.Namespace))).Code);
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.CoreV1.ReadNamespaceAsync(Clusters.Namespace))).Code);
    }

    [Fact]
    public async Task Secret_string_data_is_stored_as_data()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret { Metadata = new V1ObjectMeta { Name = "s" }, StringData = new Dictionary<string, string> { ["token"] = "abc" } }, Clusters.Namespace);
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("s", Clusters.Namespace);
        Assert.Null(secret.StringData);
        Assert.Equal("abc"u8.ToArray(), secret.Data["token"]);
    }

    [Fact]
    public async Task A_terminating_namespace_keeps_its_contents_until_the_cleanup_and_refuses_new_ones()
    {
        var time = new ManualTimeProvider();
        await using var cluster = await Clusters.StartWithCrdsAsync(new LocalClusterOptions { NamespaceCleanupDelay = TimeSpan.FromSeconds(2), Time = time });
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("thermo-1"));
        await client.CoreV1.DeleteNamespaceAsync(Clusters.Namespace);
        Assert.Equal("Terminating", (await client.CoreV1.ReadNamespaceAsync(Clusters.Namespace)).Status.Phase);
        Assert.Equal(HttpStatusCode.Forbidden, (await Clusters.FailureAsync(() => client.CreateDeviceAsync(Clusters.NewDevice("thermo-2")))).Code);
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(Iot.Api.IotApi.Group, Iot.Api.IotApi.Version, Clusters.Namespace, "devices", "thermo-1");
        time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.CoreV1.ReadNamespaceAsync(Clusters.Namespace))).Code);
    }
}
