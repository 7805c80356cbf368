using System.Collections.Immutable;

using Iot.Api.Devices;
using Iot.Api.Rooms;

namespace Iot.Analytics.Inventory;

/// <summary>
/// The Devices and Rooms of the namespace as analytics sees them: filled from the Kubernetes API by
/// <see cref="KubernetesInventorySource"/>, or directly by whoever embeds analytics. Reads take an immutable snapshot
/// and never block or copy; writes replace it. The objects are shared: callers must not change them.
/// </summary>
public sealed class DeviceInventory
{
    private readonly Lock writes = new();
    private volatile Snapshot current = Snapshot.Empty;
    private volatile bool synced;

    /// <summary>True once the first complete listing is in (always true for an inventory filled by hand after <see cref="MarkSynced"/>).</summary>
    public bool IsSynced => synced;

    /// <summary>The Device named <paramref name="name"/>, or null.</summary>
    public Device? Device(string name) => current.Devices.GetValueOrDefault(name);

    /// <summary>Every Device, ordered by name.</summary>
    public IReadOnlyList<Device> Devices() => [.. current.Devices.Values];

    /// <summary>The Devices whose <c>spec.room</c> is <paramref name="room"/>, ordered by name.</summary>
    public IReadOnlyList<Device> DevicesIn(string room)
    {
        var snapshot = current;
        return snapshot.ByRoom.TryGetValue(room, out var names) ? [.. names.Select(n => snapshot.Devices[n])] : [];
    }

    /// <summary>The Room named <paramref name="name"/>, or null.</summary>
    public Room? Room(string name) => current.Rooms.GetValueOrDefault(name);

    /// <summary>Every Room, ordered by name.</summary>
    public IReadOnlyList<Room> Rooms() => [.. current.Rooms.Values];

    /// <summary>Adds or replaces a Device (by <c>metadata.name</c>).</summary>
    public void Put(Device device)
    {
        ArgumentNullException.ThrowIfNull(device);
        var name = device.Metadata?.Name ?? throw new ArgumentException("A Device needs metadata.name.", nameof(device));
        lock (writes)
        {
            var snapshot = current;
            var byRoom = snapshot.Devices.TryGetValue(name, out var old) ? Unindex(snapshot.ByRoom, old.Spec.Room, name) : snapshot.ByRoom;
            current = snapshot with { Devices = snapshot.Devices.SetItem(name, device), ByRoom = Index(byRoom, device.Spec.Room, name) };
        }
    }

    /// <summary>Removes a Device; nothing happens when it is not there.</summary>
    public void RemoveDevice(string name)
    {
        lock (writes)
        {
            var snapshot = current;
            if (snapshot.Devices.TryGetValue(name, out var old))
            {
                current = snapshot with { Devices = snapshot.Devices.Remove(name), ByRoom = Unindex(snapshot.ByRoom, old.Spec.Room, name) };
            }
        }
    }

    /// <summary>Adds or replaces a Room (by <c>metadata.name</c>).</summary>
    public void Put(Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        var name = room.Metadata?.Name ?? throw new ArgumentException("A Room needs metadata.name.", nameof(room));
        lock (writes)
        {
            current = current with { Rooms = current.Rooms.SetItem(name, room) };
        }
    }

    /// <summary>Removes a Room; its Devices stay (they name a room that no longer exists).</summary>
    public void RemoveRoom(string name)
    {
        lock (writes)
        {
            current = current with { Rooms = current.Rooms.Remove(name) };
        }
    }

    /// <summary>Marks the inventory complete (readiness waits for it).</summary>
    public void MarkSynced() => synced = true;

    private static ImmutableDictionary<string, ImmutableSortedSet<string>> Index(ImmutableDictionary<string, ImmutableSortedSet<string>> byRoom, string? room, string device) =>
        string.IsNullOrEmpty(room) ? byRoom : byRoom.SetItem(room, byRoom.GetValueOrDefault(room, ImmutableSortedSet.Create<string>(StringComparer.Ordinal)).Add(device));

    private static ImmutableDictionary<string, ImmutableSortedSet<string>> Unindex(ImmutableDictionary<string, ImmutableSortedSet<string>> byRoom, string? room, string device)
    {
        if (string.IsNullOrEmpty(room) || !byRoom.TryGetValue(room, out var devices))
        {
            return byRoom;
        }

        var left = devices.Remove(device);
        return left.IsEmpty ? byRoom.Remove(room) : byRoom.SetItem(room, left);
    }

    private sealed record Snapshot(
        ImmutableSortedDictionary<string, Device> Devices,
        ImmutableSortedDictionary<string, Room> Rooms,
        ImmutableDictionary<string, ImmutableSortedSet<string>> ByRoom)
    {
        public static readonly Snapshot Empty = new(
            ImmutableSortedDictionary.Create<string, Device>(StringComparer.Ordinal),
            ImmutableSortedDictionary.Create<string, Room>(StringComparer.Ordinal),
            ImmutableDictionary.Create<string, ImmutableSortedSet<string>>(StringComparer.Ordinal));
    }
}
