using System.Globalization;

namespace Iot.Api.Schema;

/// <summary>
/// Builds the field paths used in errors: <c>.name</c> for an object member whose name consists only of ASCII letters,
/// digits, <c>_</c> and <c>-</c>, <c>[name]</c> for any other member name (<c>spec.attributes[app.kubernetes.io/name]</c>),
/// and <c>[i]</c> for list items. Properties and map keys follow the same rule.
/// </summary>
internal static class FieldPath
{
    public static string Member(string parent, string name)
    {
        if (!IsSimpleName(name))
        {
            return $"{parent}[{name}]";
        }

        return parent.Length == 0 ? name : $"{parent}.{name}";
    }

    public static string Index(string parent, int index) => $"{parent}[{index.ToString(CultureInfo.InvariantCulture)}]";

    /// <summary>Appends a path relative to <paramref name="parent"/>, as produced by walking a value from its own root.</summary>
    public static string Append(string parent, string relative) =>
        relative.Length == 0 ? parent
        : parent.Length == 0 || relative[0] == '[' ? parent + relative
        : $"{parent}.{relative}";

    /// <summary>How a path reads in a message, in the API server's wording: <c>spec.x in body</c>.</summary>
    public static string InBody(string path) => path.Length == 0 ? "body" : $"{path} in body";

    private static bool IsSimpleName(string name) =>
        name.Length > 0 && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
