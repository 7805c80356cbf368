using System.Collections.Concurrent;
using System.Diagnostics;

using Iot.Api.Devices;
using Iot.Ingest.Devices;
using Iot.Ingest.Rejections;
using Iot.Rules.Telemetry;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using StoredValue = Iot.Storage.TimeSeries.TelemetryValue;

namespace Iot.Ingest.Telemetry;

/// <summary>
/// What happens to a telemetry message however it arrived (MQTT or HTTP): the device is looked up, the payload parsed
/// and validated; an accepted message is written to the time-series store (buffered), marks the device as seen and then
/// goes to the rule engine; a rejected one is counted by reason and, for a known device, kept in the rejection log.
/// </summary>
internal sealed partial class TelemetryPipeline(
    DeviceCatalog catalog,
    ITimeSeriesStore store,
    RuleQueue rules,
    RejectionLog rejections,
    DeviceLastSeen lastSeen,
    IngestMetrics metrics,
    IOptions<IngestOptions> options,
    ILogger<TelemetryPipeline> logger)
{
    private readonly string ns = options.Value.Namespace;
    private readonly int maxMessageBytes = options.Value.MaxMessageBytes;
    private readonly ConcurrentDictionary<string, bool> reportedUnknown = new(StringComparer.Ordinal);

    /// <summary>
    /// One MQTT message of <paramref name="deviceId"/> (its topic's id), validated: when accepted it is added to
    /// <paramref name="accepted"/> (to be stored with <see cref="StoreAsync"/>, one hand-over for a whole batch) and the
    /// device is marked as seen; when rejected it is counted and kept in the rejection log.
    /// </summary>
    /// <param name="deviceId">The device id from the topic.</param>
    /// <param name="payload">The payload, or its first bytes when <paramref name="length"/> is larger.</param>
    /// <param name="length">The payload's full length.</param>
    /// <param name="receivedAt">When it was received: the point's time when the message carries none.</param>
    /// <param name="accepted">Where an accepted message goes.</param>
    public void Validate(string deviceId, ReadOnlySpan<byte> payload, int length, DateTimeOffset receivedAt, List<AcceptedTelemetry> accepted)
    {
        var device = catalog.Find(deviceId);
        if (device is null)
        {
            RejectUnknown(deviceId);
            return;
        }

        if (length > maxMessageBytes)
        {
            Reject(device, receivedAt, [new TelemetryError(RejectionReasons.TooLarge, null, $"the message has {length} bytes; at most {maxMessageBytes} are accepted")], payload);
            return;
        }

        if (device.Disabled)
        {
            Reject(device, receivedAt, [new TelemetryError(RejectionReasons.DeviceDisabled, null, $"device '{device.Id}' is disabled")], payload);
            return;
        }

        var parsed = TelemetryParser.ParseMessage(payload, device, receivedAt);
        if (!parsed.IsValid)
        {
            Reject(device, receivedAt, parsed.Errors, payload);
            return;
        }

        lastSeen.Seen(device.Id, receivedAt);
        accepted.Add(Accepted(device, parsed.Messages[0]));
    }

    /// <summary>
    /// Writes accepted messages to the time-series store (returning once they are buffered there, so the caller may
    /// acknowledge them), then queues them for the rule engine (waiting while its queue is full).
    /// </summary>
    public async ValueTask StoreAsync(IReadOnlyList<AcceptedTelemetry> accepted, CancellationToken cancellationToken)
    {
        if (accepted.Count == 0)
        {
            return;
        }

        var started = Stopwatch.GetTimestamp();
        var points = new TelemetryPoint[accepted.Count];
        for (var i = 0; i < points.Length; i++)
        {
            points[i] = accepted[i].Point;
        }

        await store.WriteAsync(points, cancellationToken);
        metrics.StoreWriteSeconds.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        metrics.BatchPoints.Record(points.Length);
        metrics.Accepted(points.Length);
        foreach (var message in accepted)
        {
            await rules.WriteAsync(message.Message, cancellationToken);
        }
    }

    /// <summary>Stores validated messages of <paramref name="device"/> (an HTTP request's) and queues them for the rules.</summary>
    public ValueTask AcceptAsync(DeviceProfile device, IReadOnlyList<ValidatedTelemetry> messages, DateTimeOffset receivedAt, CancellationToken cancellationToken)
    {
        lastSeen.Seen(device.Id, receivedAt);
        return StoreAsync(messages.Select(message => Accepted(device, message)).ToList(), cancellationToken);
    }

    /// <summary>Counts a refused message by its first error's reason and keeps it in the device's rejection log.</summary>
    public void Reject(DeviceProfile device, DateTimeOffset receivedAt, IReadOnlyList<TelemetryError> errors, ReadOnlySpan<byte> payload)
    {
        lastSeen.Seen(device.Id, receivedAt);
        foreach (var reason in errors.GroupBy(e => e.Index).Select(g => g.First().Reason))
        {
            metrics.Rejected(reason);
        }

        var rejection = rejections.Add(device.Id, receivedAt, errors, payload);
        LogRejected(device.Id, rejection.Reason, rejection.Detail);
    }

    /// <summary>Counts a message of a device the namespace does not have; logged once per device id.</summary>
    public void RejectUnknown(string deviceId)
    {
        metrics.Rejected(RejectionReasons.UnknownDevice);
        if (reportedUnknown.Count < 10_000 && reportedUnknown.TryAdd(deviceId, true))
        {
            LogUnknownDevice(deviceId, ns);
        }
    }

    private AcceptedTelemetry Accepted(DeviceProfile device, ValidatedTelemetry message)
    {
        var fields = new Dictionary<string, StoredValue>(message.Fields.Length, StringComparer.Ordinal);
        foreach (var field in message.Fields)
        {
            fields[field.Name] = ToStored(field.Value);
        }

        return new AcceptedTelemetry(
            new TelemetryPoint(ns, device.Id, device.Room, device.Type, message.Timestamp, fields),
            new TelemetryMessage(device.Id, message.Timestamp, message.Fields));
    }

    private static StoredValue ToStored(Rules.Telemetry.TelemetryValue value) => value.Kind switch
    {
        TelemetryType.Number => StoredValue.Number(value.AsNumber),
        TelemetryType.Integer => StoredValue.Integer(value.AsInteger),
        TelemetryType.Boolean => StoredValue.Boolean(value.AsBoolean),
        _ => StoredValue.String(value.AsString!),
    };

    [LoggerMessage(Level = LogLevel.Debug, Message = "Rejected telemetry of {Device} ({Reason}): {Detail}")]
    private partial void LogRejected(string device, string reason, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Telemetry from {Device}, which is not a Device in namespace {Namespace}, is rejected (unknown_device)")]
    private partial void LogUnknownDevice(string device, string @namespace);
}
