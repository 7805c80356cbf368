using System.Text.Json;

using Iot.Api.Alerts;
using Iot.Notify.Grouping;
using Iot.Notify.Streaming;
using Iot.Storage.Events;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Notify.Alerts;

/// <summary>
/// Where alert events enter notify: each is parsed, checked to belong to this namespace, saved with its transition
/// event (firing, resolved; a repeated event of the same state saves without one) before it is acknowledged to the
/// broker, streamed live, and handed to the dispatcher. An acknowledgement lasts for the alert's episode (its startsAt).
/// A malformed event is counted, logged and recorded as <c>alert.rejected</c>, never thrown.
/// </summary>
public sealed partial class AlertIntake(
    IEventStore store, AlertDispatcher dispatcher, AlertStream stream, IOptions<NotifyOptions> options, TimeProvider time, NotifyMetrics metrics, ILogger<AlertIntake> logger)
{
    private readonly string ns = options.Value.Namespace;
    private readonly SemaphoreSlim serial = new(1, 1);

    // The last state saved per fingerprint, so a transition is judged without reading the store each time.
    private readonly Dictionary<string, (string? Status, DateTimeOffset StartsAt)> known = new(StringComparer.Ordinal);

    /// <summary>Handles one message from <c>_iot/alerts/#</c>.</summary>
    public async Task HandleMessageAsync(string topic, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        AlertEvent alert;
        try
        {
            alert = AlertEvent.Parse(payload.Span);
            if (string.IsNullOrWhiteSpace(alert.Fingerprint) || string.IsNullOrWhiteSpace(alert.Rule) || string.IsNullOrWhiteSpace(alert.Device))
            {
                throw new JsonException("fingerprint, rule and device must not be empty");
            }
        }
        catch (JsonException e)
        {
            metrics.AlertEvent("malformed");
            LogMalformed(topic, e.Message);
            await store.AppendEventAsync(new EventRecord { At = time.GetUtcNow(), Type = "alert.rejected", Message = $"malformed alert event on {topic}: {e.Message}" }, cancellationToken).ConfigureAwait(false);
            return;
        }

        await HandleAsync(alert, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Handles one parsed alert event.</summary>
    public async Task HandleAsync(AlertEvent alert, CancellationToken cancellationToken)
    {
        if (alert.Namespace != ns)
        {
            metrics.AlertEvent("foreign");
            LogForeign(alert.Fingerprint, alert.Namespace, ns);
            return;
        }

        // One at a time, so the transition an event makes is judged against the state the previous one left.
        await serial.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var status = alert.Status == AlertStatus.Firing ? "firing" : "resolved";
            if (!known.TryGetValue(alert.Fingerprint, out var previous) && await store.GetAlertAsync(alert.Fingerprint, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                previous = (stored.Status, stored.StartsAt);
            }

            var transition = previous.Status != status || previous.StartsAt != alert.StartsAt;
            var now = time.GetUtcNow();
            await store.SaveAlertAsync(
                new StoredAlert
                {
                    Fingerprint = alert.Fingerprint,
                    Namespace = alert.Namespace,
                    Rule = alert.Rule,
                    Device = alert.Device,
                    Room = alert.Room,
                    Status = status,
                    Labels = AlertLabels.Of(alert),
                    Annotations = alert.Annotations,
                    Value = alert.Value,
                    StartsAt = alert.StartsAt,
                    EndsAt = alert.EndsAt,
                    UpdatedAt = now,
                },
                transition
                    ? new EventRecord
                    {
                        At = now,
                        Type = "alert." + status,
                        Fingerprint = alert.Fingerprint,
                        Rule = alert.Rule,
                        Device = alert.Device,
                        Message = $"{alert.Rule} on {alert.Device} {status}" + (alert.Annotations.GetValueOrDefault("summary") is { } summary ? $": {summary}" : ""),
                    }
                    : null,
                cancellationToken).ConfigureAwait(false);
            known[alert.Fingerprint] = (status, alert.StartsAt);
            metrics.AlertEvent("accepted");
            dispatcher.Receive(alert);
            stream.Publish(alert.ToJson());
        }
        finally
        {
            serial.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored a malformed alert event on {Topic}: {Reason}")]
    private partial void LogMalformed(string topic, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Ignored alert {Fingerprint} of namespace {Namespace}: this notify serves {Own}")]
    private partial void LogForeign(string fingerprint, string @namespace, string own);
}
