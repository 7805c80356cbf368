using System.Text.Json;
using System.Text.Json.Nodes;

using Iot.Kube.Tests.Leadership;
using Iot.LocalCluster;

using k8s;
using k8s.Models;

namespace Iot.Kube.Tests.Status;

public sealed class StatusPatcherTests
{
    private static readonly KubeResource Devices = new("iotoperator.io", "v1alpha1", "devices", Namespaced: true);

    private readonly ManualTimeProvider time = new();

    [Fact]
    public async Task Status_is_written_to_the_status_subresource_once_and_keeps_transition_times()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        using var client = cluster.CreateClient();
        await CreateDeviceAsync(client);
        var patcher = new StatusPatcher(client);

        // First write: a request to devices/status, observedGeneration stamped.
        var device = await ReadAsync(client);
        var status = new DeviceStatus { Phase = "Pending" };
        Conditions.Set(status.Conditions, "Ready", false, "Connecting", "waiting for the broker", device.Metadata.Generation, time);
        cluster.RequestLog.Clear();
        Assert.NotNull(await patcher.PatchAsync(Devices, device, status));
        var request = Assert.Single(cluster.RequestLog.Requests);
        Assert.Equal(("patch", "iotoperator.io", "devices", "status", "status-test", "d1"), (request.Verb, request.Group, request.Resource, request.Subresource, request.Namespace, request.Name));

        device = await ReadAsync(client);
        Assert.Equal(device.Metadata.Generation, device.Status!.ObservedGeneration);
        Assert.Equal("Pending", device.Status.Phase);
        var written = Assert.Single(device.Status.Conditions);
        Assert.Equal(time.GetUtcNow().UtcDateTime, written.LastTransitionTime);

        // The same status again: no request at all.
        status = Copy(device.Status);
        Assert.False(Conditions.Set(status.Conditions, "Ready", false, "Connecting", "waiting for the broker", device.Metadata.Generation, time));
        cluster.RequestLog.Clear();
        Assert.Null(await patcher.PatchAsync(Devices, device, status));
        Assert.Empty(cluster.RequestLog.Requests);

        // Only the message changes: written, but the transition time stays.
        time.Advance(TimeSpan.FromMinutes(5));
        status = Copy(device.Status);
        Conditions.Set(status.Conditions, "Ready", false, "Connecting", "broker unreachable", device.Metadata.Generation, time);
        Assert.NotNull(await patcher.PatchAsync(Devices, device, status));
        device = await ReadAsync(client);
        var ready = Assert.Single(device.Status!.Conditions);
        Assert.Equal("broker unreachable", ready.Message);
        Assert.Equal(written.LastTransitionTime, ready.LastTransitionTime);

        // The status flips: the transition time moves; a member left out is removed.
        time.Advance(TimeSpan.FromMinutes(5));
        status = Copy(device.Status);
        status.Phase = null;
        Conditions.Set(status.Conditions, "Ready", true, "Connected", "online", device.Metadata.Generation, time);
        Assert.NotNull(await patcher.PatchAsync(Devices, device, status));
        device = await ReadAsync(client);
        ready = Assert.Single(device.Status!.Conditions);
        Assert.Equal(time.GetUtcNow().UtcDateTime, ready.LastTransitionTime);
        Assert.Null(device.Status.Phase);
    }

    [Fact]
    public async Task ObservedGeneration_follows_metadata_generation_and_the_json_overload_works()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        using var client = cluster.CreateClient();
        await CreateDeviceAsync(client);
        var patcher = new StatusPatcher(client);
        var json = await ReadJsonAsync(client);
        Assert.True(await patcher.PatchAsync(Devices, json, new JsonObject { ["phase"] = "Ready" }));

        // A spec change bumps the generation; the unchanged status must still be written with the new generation.
        json = await ReadJsonAsync(client);
        json["spec"]!["type"] = "sensor";
        await client.CustomObjects.ReplaceNamespacedCustomObjectAsync(json, "iotoperator.io", "v1alpha1", "status-test", "devices", "d1");
        json = await ReadJsonAsync(client);
        Assert.Equal(2L, (long)json["metadata"]!["generation"]!);
        cluster.RequestLog.Clear();
        Assert.True(await patcher.PatchAsync(Devices, json, new JsonObject { ["phase"] = "Ready" }));
        Assert.Equal("status", Assert.Single(cluster.RequestLog.Requests).Subresource);
        json = await ReadJsonAsync(client);
        Assert.Equal(2L, (long)json["status"]!["observedGeneration"]!);
        Assert.False(await patcher.PatchAsync(Devices, json, new JsonObject { ["phase"] = "Ready" }));
    }

    private static async Task CreateDeviceAsync(IKubernetes client)
    {
        await Poll.CreateNamespaceAsync(client, "status-test");
        var body = JsonNode.Parse("""{"apiVersion":"iotoperator.io/v1alpha1","kind":"Device","metadata":{"name":"d1"},"spec":{"type":"thermostat"}}""")!;
        await client.CustomObjects.CreateNamespacedCustomObjectAsync(body, "iotoperator.io", "v1alpha1", "status-test", "devices");
    }

    private static async Task<JsonObject> ReadJsonAsync(IKubernetes client)
    {
        var element = (JsonElement)await client.CustomObjects.GetNamespacedCustomObjectAsync("iotoperator.io", "v1alpha1", "status-test", "devices", "d1");
        return JsonNode.Parse(element.GetRawText())!.AsObject();
    }

    private static async Task<Device> ReadAsync(IKubernetes client) =>
        KubernetesJson.Deserialize<Device>((await ReadJsonAsync(client)).ToJsonString());

    private static T Copy<T>(T value) => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(value!));

    private sealed class Device : IKubernetesObject<V1ObjectMeta>
    {
        public string ApiVersion { get; set; } = "iotoperator.io/v1alpha1";

        public string Kind { get; set; } = "Device";

        public V1ObjectMeta Metadata { get; set; } = new();

        public JsonObject? Spec { get; set; }

        public DeviceStatus? Status { get; set; }
    }

    private sealed class DeviceStatus
    {
        public long? ObservedGeneration { get; set; }

        public string? Phase { get; set; }

        public List<V1Condition> Conditions { get; set; } = [];
    }
}
