using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>An immutable set of field paths, such as the fields one managedFields entry owns; reads and writes FieldsV1.</summary>
/// <remarks>
/// FieldsV1 is a tree of path elements; an empty object marks a path as a member, and <c>".": {}</c> marks a path that is
/// a member and also has members below it (a keyed list item whose fields are owned too).
/// </remarks>
internal sealed class FieldSet
{
    public static readonly FieldSet Empty = new([]);

    private const string SelfMarker = ".";

    private readonly HashSet<FieldPath> paths;

    public FieldSet(IEnumerable<FieldPath> paths)
    {
        this.paths = [.. paths];
    }

    public IEnumerable<FieldPath> Paths => paths;

    public int Count => paths.Count;

    public bool IsEmpty => paths.Count == 0;

    public bool Contains(FieldPath path) => paths.Contains(path);

    /// <summary>True when some member lies strictly inside <paramref name="ancestor"/>.</summary>
    public bool HasMembersUnder(FieldPath ancestor) => paths.Any(path => path.IsUnder(ancestor));

    /// <summary>True when no member lies strictly inside <paramref name="path"/>: it is a field value, not a list item holding owned fields.</summary>
    public bool IsLeaf(FieldPath path) => !HasMembersUnder(path);

    public FieldSet Union(FieldSet other) => new(paths.Concat(other.paths));

    public FieldSet Except(IEnumerable<FieldPath> other)
    {
        HashSet<FieldPath> remaining = [.. paths];
        remaining.ExceptWith(other);
        return new(remaining);
    }

    public FieldSet Except(FieldSet other) => Except(other.paths);

    public FieldSet Where(Func<FieldPath, bool> predicate) => new(paths.Where(predicate));

    public bool SetEquals(FieldSet other) => paths.SetEquals(other.paths);

    public static FieldSet FromFieldsV1(JsonObject fieldsV1)
    {
        List<FieldPath> members = [];
        Read(fieldsV1, FieldPath.Root, members);
        return new(members);
    }

    public JsonObject ToFieldsV1()
    {
        Node root = new();
        foreach (FieldPath path in paths)
        {
            Node node = root;
            foreach (PathElement element in path.Elements)
            {
                if (!node.Children.TryGetValue(element, out Node? child))
                {
                    child = new Node();
                    node.Children.Add(element, child);
                }
                node = child;
            }
            node.IsMember = true;
        }
        return Write(root);
    }

    private static void Read(JsonObject tree, FieldPath path, List<FieldPath> members)
    {
        foreach ((string name, JsonNode? value) in tree)
        {
            if (name == SelfMarker)
            {
                members.Add(path);
                continue;
            }
            FieldPath child = path.Append(PathElement.Parse(name));
            JsonObject subtree = value as JsonObject ?? throw new PatchException($"fieldsV1 member \"{name}\" must be an object");
            if (subtree.Count == 0)
            {
                members.Add(child);
            }
            else
            {
                Read(subtree, child, members);
            }
        }
    }

    private static JsonObject Write(Node node)
    {
        JsonObject result = [];
        if (node.IsMember && node.Children.Count > 0)
        {
            result[SelfMarker] = new JsonObject();
        }
        foreach ((PathElement element, Node child) in node.Children)
        {
            result[element.Serialized] = Write(child);
        }
        return result;
    }

    private sealed class Node
    {
        public bool IsMember { get; set; }

        public SortedDictionary<PathElement, Node> Children { get; } = [];
    }
}
