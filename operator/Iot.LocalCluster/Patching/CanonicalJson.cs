using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>Compact JSON text for values used as identities (list keys, set values), written the same way every time.</summary>
internal static class CanonicalJson
{
    // Relaxed escaping keeps keys readable ("a+b", not "a\u002Bb"), like the Go encoder managedFields come from.
    private static readonly JsonSerializerOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string Write(JsonNode? value) => value?.ToJsonString(Options) ?? "null";
}
