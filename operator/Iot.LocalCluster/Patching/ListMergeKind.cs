namespace Iot.LocalCluster.Patching;

/// <summary>How the items of a list field combine when a patch or an apply sets the list.</summary>
internal enum ListMergeKind
{
    /// <summary>The new list replaces the old one whole (atomic).</summary>
    Replace,

    /// <summary>Items are objects identified by a merge key; items with the same key merge, others are added.</summary>
    MergeByKey,

    /// <summary>Items are primitives; the lists are unioned (patchStrategy merge, listType set).</summary>
    PrimitiveSet,
}
