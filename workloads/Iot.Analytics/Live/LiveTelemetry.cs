using System.Collections.Concurrent;

namespace Iot.Analytics.Live;

/// <summary>
/// The live state of the fleet, kept from telemetry as it arrives (<see cref="TelemetrySubscription"/>): each device's
/// latest field values and last-seen time, and the message rate over the last minute. Reads never touch a store.
/// </summary>
public sealed class LiveTelemetry(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DeviceReadings> devices = new(StringComparer.Ordinal);
    private readonly Lock rateGate = new();
    private readonly long[] secondOf = new long[60];
    private readonly int[] countOf = new int[60];

    /// <summary>Records a message of <paramref name="device"/> received now.</summary>
    public void Record(string device, TelemetryReading reading)
    {
        ArgumentException.ThrowIfNullOrEmpty(device);
        var now = time.GetUtcNow();
        devices.AddOrUpdate(device, static (_, a) => DeviceReadings.None.With(a.reading, a.now), static (_, old, a) => old.With(a.reading, a.now), (reading, now));
        var second = now.ToUnixTimeSeconds();
        var slot = (int)(second % 60);
        lock (rateGate)
        {
            if (secondOf[slot] != second)
            {
                secondOf[slot] = second;
                countOf[slot] = 0;
            }

            countOf[slot]++;
        }
    }

    /// <summary>What was last heard from <paramref name="device"/>, or null when nothing was since analytics started.</summary>
    public DeviceReadings? Latest(string device) => devices.GetValueOrDefault(device);

    /// <summary>Messages received in the 60 seconds up to now (the current second included).</summary>
    public int MessagesLastMinute()
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        lock (rateGate)
        {
            var total = 0;
            for (var i = 0; i < 60; i++)
            {
                if (now - secondOf[i] is >= 0 and < 60)
                {
                    total += countOf[i];
                }
            }

            return total;
        }
    }
}
