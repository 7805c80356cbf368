using System.Collections.Concurrent;
using System.Text.Json;

using Iot.Analytics.Live;
using Iot.Api.Alerts;

using Microsoft.Extensions.Options;

namespace Iot.Analytics.Alerts;

/// <summary>
/// Alert counts from the alert events on the internal bus (<c>_iot/alerts/#</c>, <see cref="AlertEvent"/>) of this
/// namespace: an alert is active from its firing event until its resolved event (by fingerprint). Events are not
/// retained, so the counts cover what happened since analytics connected; the firings kept for reports are the latest
/// <see cref="FiringsKept"/>. Notify's event store is the durable source once it is available.
/// </summary>
public sealed class MqttActiveAlertSource(IOptions<AnalyticsOptions> options) : IActiveAlertSource, IMqttMessageHandler
{
    /// <summary>How many firing events are kept for <see cref="CountFiredByRoomAsync"/>.</summary>
    public const int FiringsKept = 100_000;

    private readonly string ns = options.Value.Namespace;
    private readonly ConcurrentDictionary<string, AlertEvent> active = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(string Fingerprint, DateTimeOffset StartsAt, string Room)> firings = new();
    private readonly ConcurrentDictionary<(string, DateTimeOffset), bool> seen = new();

    /// <inheritdoc/>
    public string Name => "mqtt";

    /// <inheritdoc/>
    public string Filter => AlertEvent.TopicPrefix + "#";

    /// <inheritdoc/>
    public ValueTask<int> CountActiveAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(active.Count);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyDictionary<string, int>> CountFiredByRoomAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<IReadOnlyDictionary<string, int>>(firings
            .Where(f => f.StartsAt >= from && f.StartsAt < to)
            .GroupBy(f => f.Room, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal));

    /// <inheritdoc/>
    public void Handle(string topic, ReadOnlyMemory<byte> payload)
    {
        AlertEvent alert;
        try
        {
            alert = AlertEvent.Parse(payload.Span);
        }
        catch (JsonException)
        {
            return;
        }

        if (alert.Namespace != ns)
        {
            return;
        }

        if (alert.Status == AlertStatus.Resolved)
        {
            active.TryRemove(alert.Fingerprint, out _);
            return;
        }

        active[alert.Fingerprint] = alert;

        // QoS 1 may deliver an event twice: one firing is one (fingerprint, startsAt).
        if (seen.TryAdd((alert.Fingerprint, alert.StartsAt), true))
        {
            firings.Enqueue((alert.Fingerprint, alert.StartsAt, alert.Room ?? ""));
            while (firings.Count > FiringsKept && firings.TryDequeue(out var old))
            {
                seen.TryRemove((old.Fingerprint, old.StartsAt), out _);
            }
        }
    }
}
