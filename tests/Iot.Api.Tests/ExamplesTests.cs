using System.Text.Json.Nodes;

using Iot.Api.AlertRoutes;
using Iot.Api.Devices;
using Iot.Api.EdgeRules;
using Iot.Api.Manifests;
using Iot.Api.Rooms;

using k8s;

namespace Iot.Api.Tests;

public sealed class ExamplesTests
{
    public static TheoryData<string, int> IotDocuments
    {
        get
        {
            var data = new TheoryData<string, int>();
            foreach (var file in Directory.GetFiles(RepositoryRoot.Combine("examples"), "*.yaml").Order())
            {
                var documents = ManifestReader.ReadFile(file);
                for (var i = 0; i < documents.Count; i++)
                {
                    if (documents[i].ApiVersion == IotApi.ApiVersion)
                    {
                        data.Add(Path.GetFileName(file), i);
                    }
                }
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(IotDocuments))]
    public void Example_round_trips_through_its_csharp_type_without_losing_a_field(string file, int index)
    {
        var document = ManifestReader.ReadFile(RepositoryRoot.Combine("examples", file))[index];
        var json = document.Content.ToJsonString();
        string back = document.Kind switch
        {
            "Device" => KubernetesJson.Serialize(KubernetesJson.Deserialize<Device>(json)),
            "Room" => KubernetesJson.Serialize(KubernetesJson.Deserialize<Room>(json)),
            "EdgeRule" => KubernetesJson.Serialize(KubernetesJson.Deserialize<EdgeRule>(json)),
            "AlertRoute" => KubernetesJson.Serialize(KubernetesJson.Deserialize<AlertRoute>(json)),
            _ => throw new InvalidOperationException(document.Kind),
        };
        Assert.True(JsonNode.DeepEquals(document.Content, JsonNode.Parse(back)), $"{document.Kind}/{document.Name}:\n{json}\n!=\n{back}");
    }

    [Fact]
    public void Examples_describe_the_building_the_issue_asks_for()
    {
        var documents = Directory.GetFiles(RepositoryRoot.Combine("examples"), "*.yaml").SelectMany(ManifestReader.ReadFile).ToList();
        int Count(string kind) => documents.Count(d => d.Kind == kind && d.ApiVersion == IotApi.ApiVersion);
        Assert.Equal((3, 10, 4, 2), (Count("Room"), Count("Device"), Count("EdgeRule"), Count("AlertRoute")));
        Assert.All(documents.Where(d => d.Kind != "Namespace"), d => Assert.Equal("building-a", d.Namespace));
    }
}
