using System.Text.Json.Nodes;

namespace Iot.Kube.Tests.Status;

public sealed class JsonMergePatchTests
{
    [Fact]
    public void A_patch_holds_changed_members_and_nulls_for_removed_ones()
    {
        var from = JsonNode.Parse("""{"phase":"Pending","topics":{"telemetry":"a","commands":"b"},"conditions":[{"type":"Ready"}],"credentialsSecret":"s"}""");
        var to = JsonNode.Parse("""{"phase":"Ready","topics":{"telemetry":"a","commands":"c"},"conditions":[{"type":"Ready"}]}""");

        var patch = JsonMergePatch.Create(from, to);

        Assert.Equal("""{"credentialsSecret":null,"phase":"Ready","topics":{"commands":"c"}}""", patch!.ToJsonString());
    }

    [Fact]
    public void Equality_ignores_nulls_and_the_precision_of_timestamps()
    {
        Assert.True(JsonMergePatch.SemanticallyEqual(
            JsonNode.Parse("""{"t":"2026-01-01T00:00:00Z","a":[1,{"b":null}]}"""),
            JsonNode.Parse("""{"t":"2026-01-01T00:00:00.000000Z","a":[1,{}],"c":null}""")));
        Assert.False(JsonMergePatch.SemanticallyEqual(JsonNode.Parse("""{"t":"2026-01-01T00:00:00Z"}"""), JsonNode.Parse("""{"t":"2026-01-01T00:00:01Z"}""")));
        Assert.False(JsonMergePatch.SemanticallyEqual(JsonNode.Parse("""[1,2]"""), JsonNode.Parse("""[2,1]""")));
        Assert.False(JsonMergePatch.SemanticallyEqual(JsonNode.Parse("""{"a":1}"""), JsonNode.Parse("""{"a":"1"}""")));
    }
}
