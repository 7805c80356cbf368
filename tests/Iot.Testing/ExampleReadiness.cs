using System.Text.Json;

using Iot.Api;

using k8s;

namespace Iot.Testing;

/// <summary>Whether the objects applied from examples/ to a namespace have all been reconciled.</summary>
public static class ExampleReadiness
{
    private static readonly string[] Kinds = ["devices", "rooms", "edgerules", "alertroutes"];

    /// <summary>True when the namespace has Devices, Rooms, EdgeRules and AlertRoutes and every one of them is Ready.</summary>
    public static async Task<bool> EveryObjectIsReadyAsync(IKubernetes kube, string ns)
    {
        foreach (var plural in Kinds)
        {
            var list = (JsonElement)await kube.CustomObjects.ListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, ns, plural);
            var items = list.GetProperty("items").EnumerateArray().ToList();
            if (items.Count == 0 || !items.All(IsReady))
            {
                return false;
            }
        }

        return true;
    }

    // A disabled Device (the examples have one, away for repair) is reconciled to phase Disabled, not Ready.
    private static bool IsReady(JsonElement item) =>
        item.TryGetProperty("status", out var status)
        && (item.GetProperty("spec").TryGetProperty("disabled", out var disabled) && disabled.GetBoolean()
            ? status.TryGetProperty("phase", out var phase) && phase.GetString() == "Disabled"
            : status.TryGetProperty("conditions", out var conditions)
                && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True"));
}
