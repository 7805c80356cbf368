using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Serialization;

using Iot.Analytics.Live;

namespace Iot.Analytics.Rejections;

/// <summary>
/// The rejections ingest publishes, retained, per device on <c>_iot/rejections/&lt;device&gt;</c>:
/// <c>{"device":"…","rejections":[{"at":"ISO-8601","reason":"…","field":"…","detail":"…","payload":"…"}]}</c> with the latest ones
/// (ingest keeps 20), <c>field</c> optional. The retained message is the state: each one replaces the device's list; an
/// empty retained message clears it. A malformed message is ignored (the previous list stays).
/// </summary>
public sealed class MqttRejectionSource : IRejectionSource, IMqttMessageHandler
{
    /// <summary>The topic prefix, followed by the device id.</summary>
    public const string TopicPrefix = "_iot/rejections/";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private readonly ConcurrentDictionary<string, IReadOnlyList<Rejection>> latest = new(StringComparer.Ordinal);

    /// <inheritdoc/>
    public string Filter => TopicPrefix + "+";

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<Rejection>> LatestAsync(string device, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(latest.GetValueOrDefault(device) ?? []);

    /// <inheritdoc/>
    public void Handle(string topic, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var device = topic[TopicPrefix.Length..];
        if (payload.IsEmpty)
        {
            latest.TryRemove(device, out _);
            return;
        }

        try
        {
            var message = JsonSerializer.Deserialize<RejectionMessage>(payload.Span, Json);
            if (message?.Rejections is { } rejections)
            {
                latest[device] = [.. rejections.Where(r => r.Reason is not null).Select(r => new Rejection(r.At, r.Reason!, r.Field, r.Detail ?? "", r.Payload ?? "")).OrderByDescending(r => r.At)];
            }
        }
        catch (JsonException)
        {
        }
    }

    private sealed record RejectionMessage([property: JsonPropertyName("device")] string? Device, [property: JsonPropertyName("rejections")] List<RejectionEntry>? Rejections);

    private sealed record RejectionEntry(DateTimeOffset At, string? Reason, string? Field, string? Detail, string? Payload);
}
