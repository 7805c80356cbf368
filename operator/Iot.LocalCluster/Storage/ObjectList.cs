using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Storage;

/// <summary>One page of a list, sorted by namespace then name.</summary>
/// <param name="Items">Deep copies of the objects.</param>
/// <param name="ResourceVersion">The store's resourceVersion when the first page was read; watch from it to see every later change.</param>
/// <param name="Continue">Token for the next page, or null on the last page.</param>
/// <param name="RemainingItemCount">How many matching objects follow this page, when there are any.</param>
public sealed record ObjectList(IReadOnlyList<JsonObject> Items, long ResourceVersion, string? Continue, long? RemainingItemCount);
