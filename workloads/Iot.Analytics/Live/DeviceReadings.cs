using System.Collections.Immutable;

using Iot.Storage.TimeSeries;

namespace Iot.Analytics.Live;

/// <summary>A field's latest value and the instant it was measured.</summary>
public sealed record FieldReading(TelemetryValue Value, DateTimeOffset Timestamp);

/// <summary>What analytics last heard from a device: when (receive time) and each field's latest value.</summary>
public sealed record DeviceReadings(DateTimeOffset LastSeen, ImmutableSortedDictionary<string, FieldReading> Fields)
{
    /// <summary>
    /// These readings with <paramref name="reading"/> merged in: a field takes the new value unless it already holds one
    /// measured later (messages may arrive out of order); <paramref name="receivedAt"/> becomes the last-seen time.
    /// </summary>
    public DeviceReadings With(TelemetryReading reading, DateTimeOffset receivedAt)
    {
        ArgumentNullException.ThrowIfNull(reading);
        var builder = Fields.ToBuilder();
        foreach (var (name, value) in reading.Fields)
        {
            if (!builder.TryGetValue(name, out var existing) || existing.Timestamp <= reading.Timestamp)
            {
                builder[name] = new FieldReading(value, reading.Timestamp);
            }
        }

        return new DeviceReadings(receivedAt > LastSeen ? receivedAt : LastSeen, builder.ToImmutable());
    }

    /// <summary>Nothing heard yet.</summary>
    public static readonly DeviceReadings None = new(DateTimeOffset.MinValue, ImmutableSortedDictionary.Create<string, FieldReading>(StringComparer.Ordinal));
}
