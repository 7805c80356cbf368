namespace Iot.LocalCluster.Storage;

/// <summary>Where a watch starts and which objects it follows.</summary>
/// <param name="ResourceVersion">Null or 0: synthetic ADDED events for the current objects, then changes; N: every change after N (410 Expired when N is no longer retained).</param>
/// <param name="LabelSelector">Label selector; objects that change into or out of it arrive as ADDED or DELETED.</param>
/// <param name="FieldSelector">Field selector, with the same transitions.</param>
public sealed record WatchOptions(long? ResourceVersion = null, string? LabelSelector = null, string? FieldSelector = null);
