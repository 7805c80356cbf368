using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.Kube;

/// <summary>JSON merge patches (RFC 7386) between two documents, and the equality they are based on.</summary>
internal static class JsonMergePatch
{
    /// <summary>The merge patch that turns <paramref name="from"/> into <paramref name="to"/>: changed members, nulls for removed ones.</summary>
    public static JsonNode? Create(JsonNode? from, JsonNode? to)
    {
        if (to is not JsonObject target || from is not JsonObject source)
        {
            return to?.DeepClone();
        }

        var patch = new JsonObject();
        foreach (var (name, _) in source)
        {
            if (!target.ContainsKey(name))
            {
                patch[name] = null;
            }
        }

        foreach (var (name, value) in target)
        {
            var present = source.TryGetPropertyValue(name, out var old);
            if (present && SemanticallyEqual(old, value))
            {
                continue;
            }

            patch[name] = present && old is JsonObject && value is JsonObject ? Create(old, value) : value?.DeepClone();
        }

        return patch;
    }

    /// <summary>
    /// Deep JSON equality, where absent and null members are the same and two strings holding the same RFC 3339
    /// instant in different precisions (e.g. 2026-01-01T00:00:00Z and 2026-01-01T00:00:00.000000Z) are equal.
    /// </summary>
    public static bool SemanticallyEqual(JsonNode? a, JsonNode? b)
    {
        switch (a, b)
        {
            case (null, null):
                return true;
            case (JsonObject x, JsonObject y):
                foreach (var (name, value) in x)
                {
                    if (!SemanticallyEqual(value, y.TryGetPropertyValue(name, out var other) ? other : null))
                    {
                        return false;
                    }
                }

                foreach (var (name, value) in y)
                {
                    if (!x.ContainsKey(name) && value is not null)
                    {
                        return false;
                    }
                }

                return true;
            case (JsonArray x, JsonArray y):
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!SemanticallyEqual(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            case (JsonValue x, JsonValue y):
                if (JsonNode.DeepEquals(x, y))
                {
                    return true;
                }

                return x.GetValueKind() == JsonValueKind.String
                    && y.GetValueKind() == JsonValueKind.String
                    && AsInstant(x.GetValue<string>()) is { } left
                    && AsInstant(y.GetValue<string>()) is { } right
                    && left == right;
            default:
                return false;
        }
    }

    private static DateTimeOffset? AsInstant(string text) =>
        text.Length >= 20 && text[10] == 'T' && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var instant)
            ? instant
            : null;
}
