namespace Iot.LocalCluster.Storage;

/// <summary>Where an object lives within its kind: namespace ("" when cluster-scoped) and name. Orders by namespace, then name (ordinal).</summary>
internal readonly record struct ObjectKey(string Namespace, string Name) : IComparable<ObjectKey>
{
    public int CompareTo(ObjectKey other)
    {
        var byNamespace = string.CompareOrdinal(Namespace, other.Namespace);
        return byNamespace != 0 ? byNamespace : string.CompareOrdinal(Name, other.Name);
    }
}
