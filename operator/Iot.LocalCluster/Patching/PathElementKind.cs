namespace Iot.LocalCluster.Patching;

/// <summary>The step types of a field path, in the order FieldsV1 sorts them.</summary>
internal enum PathElementKind
{
    /// <summary><c>f:name</c>: a member of an object.</summary>
    Field,

    /// <summary><c>k:{"name":"web"}</c>: the item of a keyed list with these key field values.</summary>
    Key,

    /// <summary><c>v:"x"</c>: the item of a set with this value.</summary>
    Value,

    /// <summary><c>i:0</c>: an item of a list by position.</summary>
    Index,
}
