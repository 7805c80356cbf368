namespace Iot.LocalCluster.Patching;

/// <summary>The merge behaviour of one list field; <paramref name="MergeKey"/> is set for <see cref="ListMergeKind.MergeByKey"/>.</summary>
internal sealed record ListMergeStrategy(ListMergeKind Kind, string? MergeKey = null)
{
    public static readonly ListMergeStrategy Replace = new(ListMergeKind.Replace);

    public static readonly ListMergeStrategy PrimitiveSet = new(ListMergeKind.PrimitiveSet);

    public static ListMergeStrategy ByKey(string mergeKey) => new(ListMergeKind.MergeByKey, mergeKey);
}
