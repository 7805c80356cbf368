using System.Net;
using System.Text.Json.Nodes;

using Iot.Api;
using Iot.Api.Devices;

using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Iot.LocalCluster.Tests.Http;

/// <summary>Helpers for tests that talk to a started LocalCluster through the real KubernetesClient.</summary>
internal static class Clusters
{
    public const string Namespace = "building-a";

    /// <summary>A cluster with the IoT CRDs installed and namespace <see cref="Namespace"/> created.</summary>
    public static async Task<LocalCluster> StartWithCrdsAsync(LocalClusterOptions? options = null)
    {
        var cluster = await LocalCluster.StartAsync((options ?? new LocalClusterOptions()) with { CrdDirectory = RepositoryRoot.Combine("crds") });
        using var client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        return cluster;
    }

    public static Device NewDevice(string name, string type = "thermostat", Dictionary<string, string>? labels = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace, Labels = labels },
        Spec = new DeviceSpec { Type = type, Telemetry = [new TelemetryField { Name = "temperature", Type = TelemetryType.Number }] },
    };

    public static Task<Device> CreateDeviceAsync(this IKubernetes client, Device device) =>
        client.CustomObjects.CreateNamespacedCustomObjectAsync<Device>(device, IotApi.Group, IotApi.Version, device.Metadata.NamespaceProperty ?? Namespace, "devices");

    public static Task<Device> GetDeviceAsync(this IKubernetes client, string name) =>
        client.CustomObjects.GetNamespacedCustomObjectAsync<Device>(IotApi.Group, IotApi.Version, Namespace, "devices", name);

    public static Task<Device> ReplaceDeviceAsync(this IKubernetes client, Device device) =>
        client.CustomObjects.ReplaceNamespacedCustomObjectAsync<Device>(device, IotApi.Group, IotApi.Version, Namespace, "devices", device.Metadata.Name);

    public static Task<Device> PatchDeviceAsync(this IKubernetes client, string name, string patch, V1Patch.PatchType type = V1Patch.PatchType.MergePatch, string? fieldManager = null, bool? force = null) =>
        client.CustomObjects.PatchNamespacedCustomObjectAsync<Device>(new V1Patch(patch, type), IotApi.Group, IotApi.Version, Namespace, "devices", name, fieldManager: fieldManager, force: force);

    public static async Task<List<Device>> ListDevicesAsync(this IKubernetes client, string? labelSelector = null, string? fieldSelector = null) =>
        [.. (await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Device>>(IotApi.Group, IotApi.Version, Namespace, "devices", labelSelector: labelSelector, fieldSelector: fieldSelector)).Items];

    /// <summary>The status code and the Status body of a failed call.</summary>
    public static async Task<(HttpStatusCode Code, JsonObject Status)> FailureAsync(Func<Task> call)
    {
        var e = await Assert.ThrowsAsync<HttpOperationException>(call);
        return (e.Response.StatusCode, JsonNode.Parse(e.Response.Content)!.AsObject());
    }
}

/// <summary>A list of custom resources as the API returns it.</summary>
internal sealed class CustomResourceList<T> : IKubernetesObject<V1ListMeta>, IItems<T>
{
    public string ApiVersion { get; set; } = "";

    public string Kind { get; set; } = "";

    public V1ListMeta Metadata { get; set; } = new();

    public IList<T> Items { get; set; } = [];
}
