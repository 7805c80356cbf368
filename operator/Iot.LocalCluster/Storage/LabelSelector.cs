namespace Iot.LocalCluster.Storage;

/// <summary>A parsed label selector: objects match when every requirement holds.</summary>
internal sealed class LabelSelector
{
    public static readonly LabelSelector Everything = new([]);

    internal LabelSelector(IReadOnlyList<LabelRequirement> requirements)
    {
        Requirements = requirements;
    }

    public IReadOnlyList<LabelRequirement> Requirements { get; }

    /// <summary>Parses Kubernetes selector syntax; throws a 400 BadRequest <see cref="ApiException"/> when it is malformed.</summary>
    public static LabelSelector Parse(string? text) =>
        string.IsNullOrWhiteSpace(text) ? Everything : new LabelSelectorParser(text).Parse();

    public bool Matches(IReadOnlyDictionary<string, string> labels)
    {
        foreach (var requirement in Requirements)
        {
            if (!requirement.Matches(labels))
            {
                return false;
            }
        }

        return true;
    }
}
