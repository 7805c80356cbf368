using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Iot.Api.Alerts;

/// <summary>Whether an alert is firing or has resolved.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<AlertStatus>))]
public enum AlertStatus
{
    /// <summary>The rule's condition holds.</summary>
    [JsonStringEnumMemberName("firing")]
    Firing,

    /// <summary>The condition no longer holds (or the clear condition held).</summary>
    [JsonStringEnumMemberName("resolved")]
    Resolved,
}

/// <summary>
/// An alert transition, published by the rule engine (ingest) on <c>_iot/alerts/&lt;rule&gt;/&lt;device&gt;</c> at QoS 1 and
/// consumed by notify (DESIGN.md §5). One alert (one fingerprint: namespace + rule + device) fires, then resolves.
/// </summary>
public sealed record AlertEvent
{
    /// <summary>The topic prefix of alert events on the internal bus.</summary>
    public const string TopicPrefix = "_iot/alerts/";

    /// <summary>Stable identity of the alert: <see cref="FingerprintOf"/>(namespace, rule, device).</summary>
    public required string Fingerprint { get; init; }

    /// <summary>Firing or resolved.</summary>
    public required AlertStatus Status { get; init; }

    /// <summary>Namespace of the EdgeRule and Device.</summary>
    public required string Namespace { get; init; }

    /// <summary>The EdgeRule that fired.</summary>
    public required string Rule { get; init; }

    /// <summary>The Device whose telemetry (or silence) fired it.</summary>
    public required string Device { get; init; }

    /// <summary>The Device's Room, if it has one.</summary>
    public string? Room { get; init; }

    /// <summary>
    /// Labels routes match on: <c>alertname</c> (= rule), <c>rule</c>, <c>device</c>, <c>room</c> (when set), <c>type</c>
    /// (device type), <c>severity</c>, <c>namespace</c>, plus the alert action's own labels.
    /// </summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>Annotations: <c>summary</c> (the action's rendered summary) and optionally <c>description</c>.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; init; } = new Dictionary<string, string>();

    /// <summary>The value that fired (or resolved) the rule, when the condition has one.</summary>
    public double? Value { get; init; }

    /// <summary>When the alert started firing.</summary>
    public required DateTimeOffset StartsAt { get; init; }

    /// <summary>When it resolved; null while firing.</summary>
    public DateTimeOffset? EndsAt { get; init; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>The alert's fingerprint: 16 hex digits of SHA-256 over namespace, rule and device.</summary>
    public static string FingerprintOf(string @namespace, string rule, string device)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{@namespace}\n{rule}\n{device}"));
        return Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    /// <summary>The topic an event of <paramref name="rule"/> for <paramref name="device"/> is published on.</summary>
    public static string TopicOf(string rule, string device) => $"{TopicPrefix}{rule}/{device}";

    /// <summary>The JSON payload (camelCase, status as "firing"/"resolved").</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, Json);

    /// <summary>Parses a payload; a malformed one is a <see cref="JsonException"/> naming what is wrong.</summary>
    public static AlertEvent Parse(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize<AlertEvent>(json, Json) ?? throw new JsonException("An alert event must be a JSON object, not null.");
}
