using System.Globalization;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>JSON Pointer (RFC 6901): <c>/a/b~1c/0</c> names member <c>b/c</c> of <c>a</c>, then its first element.</summary>
internal static class JsonPointer
{
    /// <summary>The end of an array, allowed only where a value is added.</summary>
    public const string AppendToken = "-";

    public static IReadOnlyList<string> Parse(string pointer)
    {
        if (pointer.Length == 0)
        {
            return [];
        }
        if (pointer[0] != '/')
        {
            throw new PatchException($"\"{pointer}\" is not a JSON pointer: it must be empty or start with '/'");
        }
        return [.. pointer[1..].Split('/').Select(token => Unescape(token, pointer))];
    }

    public static string Escape(string token) => token.Replace("~", "~0", StringComparison.Ordinal).Replace("/", "~1", StringComparison.Ordinal);

    /// <summary>Finds the value at <paramref name="tokens"/>; a member holding <c>null</c> is found, a missing one is not.</summary>
    public static bool TryGet(JsonNode? root, IReadOnlyList<string> tokens, out JsonNode? value)
    {
        value = root;
        foreach (string token in tokens)
        {
            switch (value)
            {
                case JsonObject obj when obj.TryGetPropertyValue(token, out JsonNode? member):
                    value = member;
                    break;
                case JsonArray array when TryParseIndex(token, out int index) && index < array.Count:
                    value = array[index];
                    break;
                default:
                    value = null;
                    return false;
            }
        }
        return true;
    }

    /// <summary>An array index: decimal digits without leading zeros.</summary>
    public static bool TryParseIndex(string token, out int index)
    {
        index = -1;
        bool wellFormed = token.Length > 0 && token.All(char.IsAsciiDigit) && (token.Length == 1 || token[0] != '0');
        return wellFormed && int.TryParse(token, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    // ~1 is decoded before ~0 so that "~01" means "~1" and not "/" (RFC 6901, section 4).
    private static string Unescape(string token, string pointer)
    {
        for (int i = token.IndexOf('~'); i >= 0; i = token.IndexOf('~', i + 1))
        {
            if (i + 1 >= token.Length || (token[i + 1] != '0' && token[i + 1] != '1'))
            {
                throw new PatchException($"\"{pointer}\" is not a JSON pointer: '~' must be followed by '0' or '1'");
            }
        }
        return token.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
    }
}
