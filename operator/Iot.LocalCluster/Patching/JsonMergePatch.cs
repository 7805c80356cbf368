using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>JSON merge patch (RFC 7386): objects merge member by member, <c>null</c> removes a member, any other value replaces.</summary>
public static class JsonMergePatch
{
    public static JsonNode? Apply(JsonNode? target, JsonNode? patch)
    {
        return patch is null ? null : Merge(target?.DeepClone(), patch);
    }

    // Works in place on `target`, which the caller owns; never touches `patch`.
    private static JsonNode Merge(JsonNode? target, JsonNode patch)
    {
        if (patch is not JsonObject patchObject)
        {
            return patch.DeepClone();
        }
        JsonObject result = target as JsonObject ?? [];
        foreach ((string name, JsonNode? value) in patchObject)
        {
            if (value is null)
            {
                result.Remove(name);
                continue;
            }
            JsonNode? existing = result[name];
            JsonNode merged = Merge(existing, value);
            if (!ReferenceEquals(merged, existing))
            {
                result[name] = merged;
            }
        }
        return result;
    }
}
