namespace Iot.LocalCluster.Patching;

/// <summary>The path from an object's root to one field or list item, e.g. <c>.spec.containers[name="web"].image</c>.</summary>
internal sealed class FieldPath : IEquatable<FieldPath>
{
    public static readonly FieldPath Root = new([]);

    private readonly PathElement[] elements;

    private FieldPath(PathElement[] elements)
    {
        this.elements = elements;
    }

    public IReadOnlyList<PathElement> Elements => elements;

    public int Length => elements.Length;

    public PathElement Last => elements[^1];

    public FieldPath Parent => new(elements[..^1]);

    public FieldPath Append(PathElement element) => new([.. elements, element]);

    /// <summary>True when this path lies strictly inside <paramref name="ancestor"/>.</summary>
    public bool IsUnder(FieldPath ancestor) => Length > ancestor.Length && elements.AsSpan(0, ancestor.Length).SequenceEqual(ancestor.elements);

    public bool Equals(FieldPath? other) => other is not null && elements.AsSpan().SequenceEqual(other.elements);

    public override bool Equals(object? obj) => Equals(obj as FieldPath);

    public override int GetHashCode()
    {
        HashCode hash = new();
        foreach (PathElement element in elements)
        {
            hash.Add(element);
        }
        return hash.ToHashCode();
    }

    public override string ToString() => string.Concat(elements.Select(element => element.Display));
}
