using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Storage;

/// <summary>
/// The opaque <c>continue</c> value of a paginated list: the key of the last object returned and the list's resourceVersion,
/// as JSON in URL-safe base64 (like the real server's token).
/// </summary>
internal sealed record ContinueToken(long ResourceVersion, ObjectKey After)
{
    public string Encode()
    {
        var json = new JsonObject
        {
            ["rv"] = ResourceVersion,
            ["namespace"] = After.Namespace,
            ["name"] = After.Name,
        };
        return Base64Url.EncodeToString(JsonSerializer.SerializeToUtf8Bytes(json));
    }

    /// <summary>Reads a token; throws a 400 BadRequest <see cref="ApiException"/> when it is not one this store wrote.</summary>
    public static ContinueToken Decode(string token)
    {
        try
        {
            var json = JsonNode.Parse(Base64Url.DecodeFromChars(token)) as JsonObject;
            if (json?["rv"]?.GetValue<long>() is { } rv
                && json["namespace"]?.GetValue<string>() is { } ns
                && json["name"]?.GetValue<string>() is { Length: > 0 } name)
            {
                return new ContinueToken(rv, new ObjectKey(ns, name));
            }
        }
        catch (Exception e) when (e is FormatException or JsonException or InvalidOperationException)
        {
            throw ApiException.BadRequest($"invalid continue token: {e.Message}");
        }

        throw ApiException.BadRequest("invalid continue token: it does not name a position in a list");
    }
}
