using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Http;

/// <summary>
/// A minimal OpenAPI v3 discovery: <c>/openapi/v3</c> and one document per group/version. kubectl reads it to learn that
/// the server validates fields itself (the <c>fieldValidation</c> parameter of PATCH), and <c>kubectl explain</c> reads
/// the custom resources' schemas from it. Built-in kinds carry no schemas here.
/// </summary>
internal static class OpenApiDocuments
{
    public static JsonObject Root(ResourceRegistry registry)
    {
        var paths = new JsonObject();
        foreach (var gv in registry.All.Select(r => (r.Type.Group, r.Type.Version)).Distinct())
        {
            var path = Path(gv.Group, gv.Version);
            paths[path] = new JsonObject { ["serverRelativeURL"] = $"/openapi/v3/{path}?hash={Hash(GroupVersion(registry, gv.Group, gv.Version))}" };
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static JsonObject GroupVersion(ResourceRegistry registry, string group, string version)
    {
        var paths = new JsonObject();
        var schemas = new JsonObject();
        foreach (var resource in registry.All.Where(r => r.Type.Group == group && r.Type.Version == version))
        {
            var t = resource.Type;
            var gvk = new JsonObject { ["group"] = t.Group, ["version"] = t.Version, ["kind"] = t.Kind };
            var prefix = "/" + Path(t.Group, t.Version) + (t.Namespaced ? "/namespaces/{namespace}" : "");
            paths[$"{prefix}/{t.Plural}/{{name}}"] = new JsonObject
            {
                ["patch"] = new JsonObject
                {
                    ["operationId"] = $"patch{t.Kind}",
                    ["x-kubernetes-action"] = "patch",
                    ["x-kubernetes-group-version-kind"] = gvk,
                    ["parameters"] = new JsonArray(
                        Query("dryRun"), Query("fieldManager"), Query("fieldValidation"), Query("force")),
                    ["responses"] = new JsonObject { ["200"] = new JsonObject { ["description"] = "OK" } },
                },
            };
            if (resource.Schema is not null && resource.OpenApiSchema is { } schema)
            {
                var copy = schema.DeepClone().AsObject();
                copy["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
                schemas[$"{ReverseDomain(t.Group)}.{t.Version}.{t.Kind}"] = copy;
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes (Iot.LocalCluster)", ["version"] = "v1.32.0" },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string Path(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    private static JsonObject Query(string name) => new()
    {
        ["name"] = name,
        ["in"] = "query",
        ["schema"] = new JsonObject { ["type"] = name == "force" ? "boolean" : "string" },
    };

    private static string ReverseDomain(string group) => string.Join('.', group.Split('.').Reverse());

    private static string Hash(JsonObject document) =>
        Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(document.ToJsonString())))[..32];
}
