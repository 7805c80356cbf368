using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Http;

/// <summary>Legacy (unaggregated) discovery documents: /version, /api, /api/v1, /apis, /apis/{group}, /apis/{group}/{version}.</summary>
internal static class Discovery
{
    private static readonly string[] Verbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version() => new()
    {
        ["major"] = "1",
        ["minor"] = "32",
        ["gitVersion"] = "v1.32.0-iot-localcluster",
        ["gitCommit"] = "",
        ["gitTreeState"] = "clean",
        ["buildDate"] = "2026-01-01T00:00:00Z",
        ["goVersion"] = "none (Iot.LocalCluster, .NET)",
        ["compiler"] = "dotnet",
        ["platform"] = "linux/amd64",
    };

    public static JsonObject CoreVersions(string serverAddress) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = serverAddress }),
    };

    public static JsonObject Groups(ResourceRegistry registry) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. registry.All.Where(r => r.Type.Group.Length > 0).GroupBy(r => r.Type.Group).Select(g => (JsonNode)Group(g.Key, g.First().Type.Version))]),
    };

    public static JsonObject Group(string group, string version) => new()
    {
        ["kind"] = "APIGroup",
        ["apiVersion"] = "v1",
        ["name"] = group,
        ["versions"] = new JsonArray(new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version }),
        ["preferredVersion"] = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version },
    };

    public static JsonObject Resources(ResourceRegistry registry, string group, string version)
    {
        var resources = new JsonArray();
        foreach (var r in registry.All.Where(r => r.Type.Group == group && r.Type.Version == version))
        {
            var t = r.Type;
            var entry = new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray([.. Verbs.Select(v => (JsonNode)v)]),
            };
            if (t.ShortNames.Count > 0)
            {
                entry["shortNames"] = new JsonArray([.. t.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (t.Categories.Count > 0)
            {
                entry["categories"] = new JsonArray([.. t.Categories.Select(s => (JsonNode)s)]);
            }

            resources.Add(entry);
            if (t.HasStatus)
            {
                resources.Add(new JsonObject
                {
                    ["name"] = t.Plural + "/status",
                    ["singularName"] = "",
                    ["namespaced"] = t.Namespaced,
                    ["kind"] = t.Kind,
                    ["verbs"] = new JsonArray("get", "patch", "update"),
                });
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }
}
