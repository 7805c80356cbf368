namespace Iot.LocalCluster.Patching;

/// <summary>A server-side apply would change fields other managers own and was not forced (the HTTP layer answers 409, one cause per conflict).</summary>
public sealed class ApplyConflictException(IReadOnlyList<ApplyConflict> conflicts) : Exception(Describe(conflicts))
{
    public IReadOnlyList<ApplyConflict> Conflicts { get; } = conflicts;

    // The API server's wording, so kubectl shows the message users know.
    private static string Describe(IReadOnlyList<ApplyConflict> conflicts)
    {
        if (conflicts.Count == 1)
        {
            return $"Apply failed with 1 conflict: {conflicts[0]}";
        }
        IEnumerable<string> lines = conflicts
            .GroupBy(conflict => conflict.Message)
            .OrderBy(group => group.Key, StringComparer.Ordinal)
            .SelectMany(group => group.Select(conflict => "- " + conflict.Field).Prepend(group.Key.Replace("conflict with", "conflicts with", StringComparison.Ordinal) + ":"));
        return $"Apply failed with {conflicts.Count} conflicts: {string.Join("\n", lines)}";
    }
}
