using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Tests.Storage;

/// <summary>Builds and reads the JSON objects the store works with.</summary>
internal static class Json
{
    public static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject Device(string name, string? ns = "lab", string room = "lab-1", JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "iotoperator.io/v1alpha1",
        ["kind"] = "Device",
        ["metadata"] = Metadata(name, ns, labels),
        ["spec"] = new JsonObject { ["type"] = "thermostat", ["room"] = room },
    };

    public static JsonObject ConfigMap(string name, string? ns = "lab", string value = "1", JsonObject? labels = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "ConfigMap",
        ["metadata"] = Metadata(name, ns, labels),
        ["data"] = new JsonObject { ["value"] = value },
    };

    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = new JsonObject { ["name"] = name },
    };

    public static JsonObject Node(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Node",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["unschedulable"] = false },
    };

    public static JsonObject Labels(params (string Key, string Value)[] labels)
    {
        var result = new JsonObject();
        foreach (var (key, value) in labels)
        {
            result[key] = value;
        }

        return result;
    }

    public static JsonObject Meta(this JsonObject obj) => obj["metadata"]!.AsObject();

    public static string Name(this JsonObject obj) => (string)obj.Meta()["name"]!;

    public static string Uid(this JsonObject obj) => (string)obj.Meta()["uid"]!;

    public static long ResourceVersion(this JsonObject obj) => long.Parse((string)obj.Meta()["resourceVersion"]!, System.Globalization.CultureInfo.InvariantCulture);

    public static long Generation(this JsonObject obj) => (long)obj.Meta()["generation"]!;

    public static JsonObject WithFinalizers(this JsonObject obj, params string[] finalizers)
    {
        obj.Meta()["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode?)f).ToArray());
        return obj;
    }

    /// <summary>Adds an ownerReference to <paramref name="owner"/>.</summary>
    public static JsonObject OwnedBy(this JsonObject obj, JsonObject owner, bool blockOwnerDeletion = false)
    {
        if (obj.Meta()["ownerReferences"] is not JsonArray references)
        {
            references = [];
            obj.Meta()["ownerReferences"] = references;
        }

        references.Add(new JsonObject
        {
            ["apiVersion"] = owner["apiVersion"]!.DeepClone(),
            ["kind"] = owner["kind"]!.DeepClone(),
            ["name"] = owner.Name(),
            ["uid"] = owner.Uid(),
            ["blockOwnerDeletion"] = blockOwnerDeletion,
        });
        return obj;
    }

    private static JsonObject Metadata(string name, string? ns, JsonObject? labels)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (ns is not null)
        {
            metadata["namespace"] = ns;
        }

        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        return metadata;
    }
}
