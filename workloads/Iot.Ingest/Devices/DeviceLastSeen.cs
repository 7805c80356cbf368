using System.Collections.Concurrent;

namespace Iot.Ingest.Devices;

/// <summary>The in-memory <see cref="IDeviceLastSeen"/>; a message costs one in-place dictionary write.</summary>
internal sealed class DeviceLastSeen : IDeviceLastSeen
{
    private readonly ConcurrentDictionary<string, long> ticks = new(StringComparer.Ordinal);

    public DateTimeOffset? LastSeen(string device) =>
        ticks.TryGetValue(device, out var at) ? new DateTimeOffset(at, TimeSpan.Zero) : null;

    public IReadOnlyDictionary<string, DateTimeOffset> Snapshot() =>
        ticks.ToDictionary(p => p.Key, p => new DateTimeOffset(p.Value, TimeSpan.Zero), StringComparer.Ordinal);

    public void Seen(string device, DateTimeOffset at) => ticks[device] = at.UtcTicks;

    public void Forget(string device) => ticks.TryRemove(device, out _);
}
