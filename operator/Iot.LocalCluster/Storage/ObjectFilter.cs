using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

/// <summary>What a list or watch selects: an optional namespace and label and field selectors.</summary>
internal sealed record ObjectFilter(string? Namespace, LabelSelector Labels, FieldSelector Fields)
{
    /// <summary>Parses the selectors (400 BadRequest when malformed); a namespace only narrows namespaced kinds.</summary>
    public static ObjectFilter Parse(ResourceType type, string? ns, string? labelSelector, string? fieldSelector) =>
        new(type.Namespaced && !string.IsNullOrEmpty(ns) ? ns : null, LabelSelector.Parse(labelSelector), FieldSelector.Parse(fieldSelector));

    public bool Matches(StoredObject obj) =>
        (Namespace is null || obj.Key.Namespace == Namespace) && Labels.Matches(obj.Labels) && Fields.Matches(obj.Object);
}
