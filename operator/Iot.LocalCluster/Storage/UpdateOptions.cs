namespace Iot.LocalCluster.Storage;

/// <summary>How an update (PUT semantics) applies.</summary>
/// <param name="Subresource"><c>""</c> for the main resource (ignores status when the kind has a status subresource) or <c>"status"</c> (takes only status).</param>
/// <param name="RequireResourceVersion">Reject updates whose body has no metadata.resourceVersion (kinds that disallow unconditional updates).</param>
public sealed record UpdateOptions(string Subresource = "", bool RequireResourceVersion = false)
{
    /// <summary>The status subresource.</summary>
    public const string Status = "status";
}
