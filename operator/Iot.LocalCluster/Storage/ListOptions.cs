namespace Iot.LocalCluster.Storage;

/// <summary>Which objects a list (or a delete-collection) selects, and which page of them a list returns.</summary>
/// <param name="LabelSelector">Label selector, e.g. <c>app=web,tier in (a,b),!legacy</c>.</param>
/// <param name="FieldSelector">Field selector, e.g. <c>metadata.name=x,status.phase!=Done</c>.</param>
/// <param name="Limit">Page size; null or not positive returns everything.</param>
/// <param name="Continue">The token of the previous page (<see cref="ObjectList.Continue"/>).</param>
public sealed record ListOptions(string? LabelSelector = null, string? FieldSelector = null, int? Limit = null, string? Continue = null);
