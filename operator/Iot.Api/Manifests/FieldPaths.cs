using System.Text.RegularExpressions;

namespace Iot.Api.Manifests;

/// <summary>Field paths in one canonical spelling, <c>a.b.0.c</c>, for looking up lines whatever notation an error used.</summary>
internal static partial class FieldPaths
{
    [GeneratedRegex(@"\[([^\]]*)\]")]
    private static partial Regex Bracket();

    public static string Normalize(string path) => Bracket().Replace(path, ".$1").TrimStart('.');

    public static string Child(string parent, string key) => parent.Length == 0 ? key : parent + "." + key;

    public static string Parent(string path)
    {
        var dot = path.LastIndexOf('.');
        return dot < 0 ? "" : path[..dot];
    }
}
