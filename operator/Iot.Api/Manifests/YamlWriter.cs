using System.Text.Json;
using System.Text.Json.Nodes;

using YamlDotNet.Serialization;

namespace Iot.Api.Manifests;

/// <summary>Writes JSON trees as block YAML, keys in their JSON order; strings that would read back as another type are quoted.</summary>
public static class YamlWriter
{
    private static readonly ISerializer Serializer = new SerializerBuilder()
        .WithQuotingNecessaryStrings()
        .DisableAliases()
        .Build();

    /// <summary>The YAML text of <paramref name="node"/>.</summary>
    public static string Write(JsonNode? node) => Serializer.Serialize(ToPlain(node));

    private static object? ToPlain(JsonNode? node) => node switch
    {
        null => null,
        JsonObject o => o.ToDictionary(p => p.Key, p => ToPlain(p.Value)),
        JsonArray a => a.Select(ToPlain).ToList(),
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>(),
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => Number(JsonSerializer.SerializeToElement(v)),
            _ => null,
        },
        _ => throw new ArgumentException($"unexpected node {node.GetType().Name}", nameof(node)),
    };

    private static object Number(JsonElement number) => number.TryGetInt64(out var whole) ? whole : number.GetDouble();
}
