using System.Net;
using System.Text.Json.Nodes;

using Iot.Api;
using Iot.Api.Devices;

using k8s;
using k8s.Models;

namespace Iot.LocalCluster.Tests.Http;

public sealed class CustomResourceTests
{
    [Fact]
    public async Task A_created_crd_is_established_and_served_at_once()
    {
        await using var cluster = await LocalCluster.StartAsync();
        using var client = cluster.CreateClient();
        var crd = KubernetesJson.Deserialize<V1CustomResourceDefinition>(Iot.Api.Crds.CrdGenerator.Generate(typeof(Device)).Definition.ToJsonString());
        await client.ApiextensionsV1.CreateCustomResourceDefinitionAsync(crd);
        var stored = await client.ApiextensionsV1.ReadCustomResourceDefinitionAsync("devices.iotoperator.io");
        Assert.Contains(stored.Status.Conditions, c => c.Type == "Established" && c.Status == "True");
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Clusters.Namespace } });
        var device = await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        Assert.Equal("a", device.Metadata.Name);
    }

    [Fact]
    public async Task Custom_objects_are_validated_against_the_crd_schema()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var (code, status) = await Clusters.FailureAsync(() => client.CustomObjects.CreateNamespacedCustomObjectAsync<Device>(
            JsonNode.Parse("""{"apiVersion":"iotoperator.io/v1alpha1","kind":"Device","metadata":{"name":"bad"},"spec":{"telemetry":[{"name":"t","type":"float"}]}}"""),
            IotApi.Group, IotApi.Version, Clusters.Namespace, "devices"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, code);
        Assert.Equal("Invalid", (string)status["reason"]!);
        var causes = status["details"]!["causes"]!.AsArray().Select(c => $"{c!["reason"]} {c["field"]}").ToList();
        Assert.Contains("FieldValueRequired spec.type", causes);
        Assert.Contains("FieldValueNotSupported spec.telemetry[0].type", causes);
    }

    [Fact]
    public async Task Unknown_fields_are_pruned_and_defaults_applied()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var created = await client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
            JsonNode.Parse("""{"apiVersion":"iotoperator.io/v1alpha1","kind":"Device","metadata":{"name":"a"},"spec":{"type":"thermostat","colour":"blue","heartbeat":{}}}"""),
            IotApi.Group, IotApi.Version, Clusters.Namespace, "devices");
        Assert.Null(created["spec"]!["colour"]);
        Assert.Equal("2m", (string)created["spec"]!["heartbeat"]!["timeout"]!);
        Assert.False((bool)created["spec"]!["disabled"]!);
    }

    [Fact]
    public async Task Strict_field_validation_rejects_unknown_fields()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var (code, status) = await Clusters.FailureAsync(() => client.CustomObjects.CreateNamespacedCustomObjectAsync<JsonObject>(
            JsonNode.Parse("""{"apiVersion":"iotoperator.io/v1alpha1","kind":"Device","metadata":{"name":"a"},"spec":{"type":"t","colour":"blue"}}"""),
            IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", fieldValidation: "Strict"));
        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Contains("colour", (string)status["message"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tables_use_the_crd_printer_columns()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var device = Clusters.NewDevice("a");
        device.Spec.Room = "lab-1";
        await client.CreateDeviceAsync(device);
        using var http = new HttpClient { BaseAddress = cluster.Url };
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/apis/iotoperator.io/v1alpha1/namespaces/{Clusters.Namespace}/devices");
        request.Headers.TryAddWithoutValidation("Accept", "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");
        var table = JsonNode.Parse(await (await http.SendAsync(request)).Content.ReadAsStringAsync())!;
        Assert.Equal("Table", (string)table["kind"]!);
        Assert.Equal(["Name", "Type", "Room", "Online", "Ready", "Age"], table["columnDefinitions"]!.AsArray().Select(c => (string)c!["name"]!));
        var cells = table["rows"]![0]!["cells"]!.AsArray();
        Assert.Equal(("a", "thermostat", "lab-1"), ((string)cells[0]!, (string)cells[1]!, (string)cells[2]!));
        Assert.Matches("^[0-9]+s$", (string)cells[5]!); // Age, as a duration like the real server prints it
    }

    [Fact]
    public async Task Deleting_a_crd_deletes_its_objects_and_stops_serving_it()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        await client.ApiextensionsV1.DeleteCustomResourceDefinitionAsync("devices.iotoperator.io");
        Assert.Equal(HttpStatusCode.NotFound, (await Clusters.FailureAsync(() => client.ListDevicesAsync())).Code);
    }
}
