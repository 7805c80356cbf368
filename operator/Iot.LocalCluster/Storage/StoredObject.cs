using System.Globalization;
using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

/// <summary>
/// One committed version of an object, with the metadata the store works with parsed once. The JSON is never mutated
/// after commit (history and watches share it), so anything handed out is a deep copy.
/// </summary>
internal sealed class StoredObject
{
    public StoredObject(ResourceType type, JsonObject obj)
    {
        Type = type;
        Object = obj;
        var metadata = ObjectMetadata.Of(obj);
        Key = new ObjectKey(ObjectMetadata.GetString(metadata, "namespace") ?? "", ObjectMetadata.GetString(metadata, "name") ?? "");
        Uid = ObjectMetadata.GetString(metadata, "uid") ?? "";
        ResourceVersion = long.Parse(ObjectMetadata.GetString(metadata, "resourceVersion") ?? "0", CultureInfo.InvariantCulture);
        Generation = ObjectMetadata.GetLong(metadata, "generation");
        IsDeleting = metadata["deletionTimestamp"] is not null;
        Finalizers = ObjectMetadata.Finalizers(metadata);
        Owners = ObjectMetadata.OwnerReferences(metadata);
        Labels = ObjectMetadata.Labels(metadata);
    }

    public ResourceType Type { get; }

    public JsonObject Object { get; }

    public ObjectKey Key { get; }

    public string Uid { get; }

    public long ResourceVersion { get; }

    public long Generation { get; }

    /// <summary>Whether metadata.deletionTimestamp is set: the object is waiting for its finalizers.</summary>
    public bool IsDeleting { get; }

    public IReadOnlyList<string> Finalizers { get; }

    public IReadOnlyList<OwnerReference> Owners { get; }

    public IReadOnlyDictionary<string, string> Labels { get; }

    public bool IsNamespace => Type.Key == ObjectStore.NamespacesKey;

    public bool HasFinalizer(string finalizer) => Finalizers.Contains(finalizer);

    public JsonObject CloneObject() => Object.DeepClone().AsObject();
}
