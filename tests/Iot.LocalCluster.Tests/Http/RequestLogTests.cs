using Iot.LocalCluster.Http;

using k8s;

namespace Iot.LocalCluster.Tests.Http;

public sealed class RequestLogTests
{
    [Fact]
    public async Task Every_resource_request_is_recorded_with_its_rbac_attributes()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        cluster.RequestLog.Clear();
        await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        await client.GetDeviceAsync("a");
        await client.ListDevicesAsync();
        await client.CustomObjects.PatchNamespacedCustomObjectStatusAsync(new k8s.Models.V1Patch("""{"status":{}}""", k8s.Models.V1Patch.PatchType.MergePatch), Iot.Api.IotApi.Group, Iot.Api.IotApi.Version, Clusters.Namespace, "devices", "a");
        await client.CoreV1.ListNamespaceAsync();
        Assert.Equal(
            [
                new ApiRequest("create", "iotoperator.io", "devices", "", Clusters.Namespace, "", ""),
                new ApiRequest("get", "iotoperator.io", "devices", "", Clusters.Namespace, "a", ""),
                new ApiRequest("list", "iotoperator.io", "devices", "", Clusters.Namespace, "", ""),
                new ApiRequest("patch", "iotoperator.io", "devices", "status", Clusters.Namespace, "a", ""),
                new ApiRequest("list", "", "namespaces", "", "", "", ""),
            ],
            cluster.RequestLog.Requests.Select(r => r with { UserAgent = "" }));
    }
}
