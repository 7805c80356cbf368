using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Tests.Patching;

/// <summary>JSON literals for tests, written with single quotes so they read without escaping.</summary>
internal static class Json
{
    public static JsonNode? Parse(string singleQuoted) => JsonNode.Parse(singleQuoted.Replace('\'', '"'));

    public static JsonObject Object(string singleQuoted) => Parse(singleQuoted)!.AsObject();

    public static JsonArray Array(string singleQuoted) => Parse(singleQuoted)!.AsArray();

    /// <summary>Asserts JSON equality (member order ignored, list order significant) and shows both documents when they differ.</summary>
    public static void Equal(string expectedSingleQuoted, JsonNode? actual) => Equal(Parse(expectedSingleQuoted), actual);

    /// <inheritdoc cref="Equal(string, JsonNode?)"/>
    public static void Equal(JsonNode? expected, JsonNode? actual)
    {
        Assert.True(
            JsonNode.DeepEquals(expected, actual),
            $"expected {expected?.ToJsonString() ?? "null"}\n  actual {actual?.ToJsonString() ?? "null"}");
    }
}
