using Microsoft.Extensions.Options;

namespace Iot.Analytics.Live;

/// <summary>
/// Feeds <see cref="LiveTelemetry"/> from <c>$share/&lt;group&gt;/devices/+/telemetry</c>: the device is the topic's
/// second segment; malformed payloads are counted and dropped (ingest rejects and reports them).
/// </summary>
public sealed class TelemetrySubscription(LiveTelemetry live, AnalyticsMetrics metrics, TimeProvider time, IOptions<AnalyticsOptions> options) : IMqttMessageHandler
{
    /// <inheritdoc/>
    public string Filter { get; } = $"$share/{options.Value.Mqtt.ShareGroup}/devices/+/telemetry";

    /// <inheritdoc/>
    public void Handle(string topic, ReadOnlyMemory<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(topic);
        var device = topic.Split('/')[1];
        if (TelemetryPayload.TryParse(payload, time.GetUtcNow(), out var reading, out _))
        {
            live.Record(device, reading);
            metrics.TelemetryReceived("accepted");
        }
        else
        {
            metrics.TelemetryReceived("malformed");
        }
    }
}
