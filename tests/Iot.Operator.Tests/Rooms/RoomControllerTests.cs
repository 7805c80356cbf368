using Iot.Api.Common;
using Iot.Api.Devices;
using Iot.Api.Rooms;
using Iot.Kube;
using Iot.Operator.Rooms;

using k8s.Models;

using static Iot.Operator.Tests.Rules.ControllerTestSupport;

namespace Iot.Operator.Tests.Rooms;

public sealed class RoomControllerTests
{
    private static Room NewRoom(string name, string? raw = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new RoomSpec { DisplayName = name, Retention = raw is null ? null : new RoomRetention { Raw = raw } },
    };

    private static Device NewDevice(string name, string? room) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new DeviceSpec { Type = "thermostat", Room = room },
    };

    [Fact]
    public async Task A_valid_room_is_ready_and_counts_its_devices()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var rooms = new ResourceClient<Room>(client, RoomController.Rooms);
        var devices = new ResourceClient<Device>(client, RoomController.Devices);
        await devices.CreateAsync(NewDevice("t1", "kitchen"));
        await devices.CreateAsync(NewDevice("t2", "kitchen"));
        await devices.CreateAsync(NewDevice("t3", "hall"));
        await rooms.CreateAsync(NewRoom("kitchen"));
        await using var running = await RunAsync(RoomController.Create(client, TimeProvider.System));

        var room = await EventuallyAsync(rooms, "kitchen", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.True, "the room is ready");
        Assert.Equal(2, room.Status!.DeviceCount);
        Assert.Equal(room.Metadata.Generation, room.Status.ObservedGeneration);
        Assert.Equal(room.Metadata.Generation, Condition(room.Status, "Ready")!.ObservedGeneration);
        Assert.Null(Condition(room.Status, "RetentionApplied"));
    }

    [Fact]
    public async Task An_invalid_room_is_not_ready_with_the_field_and_message()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var rooms = new ResourceClient<Room>(client, RoomController.Rooms);
        await rooms.CreateAsync(NewRoom("lab", raw: "30m"));
        await using var running = await RunAsync(RoomController.Create(client, TimeProvider.System));

        var room = await EventuallyAsync(rooms, "lab", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.False, "the room is not ready");
        var ready = Condition(room.Status, "Ready")!;
        Assert.Equal("InvalidSpec", ready.Reason);
        Assert.Equal("spec.retention.raw: must be at least 1h, got 30m", ready.Message);
        Assert.Equal(0, room.Status!.DeviceCount);
    }

    [Fact]
    public async Task A_device_moving_rooms_changes_both_counts_and_keeps_the_transition_time()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var rooms = new ResourceClient<Room>(client, RoomController.Rooms);
        var devices = new ResourceClient<Device>(client, RoomController.Devices);
        await rooms.CreateAsync(NewRoom("kitchen"));
        await rooms.CreateAsync(NewRoom("hall"));
        await devices.CreateAsync(NewDevice("t1", "kitchen"));
        var time = new ManualTimeProvider();
        await using var running = await RunAsync(RoomController.Create(client, time));
        var before = await EventuallyAsync(rooms, "kitchen", r => r.Status?.DeviceCount == 1, "the kitchen counts one device");
        await EventuallyAsync(rooms, "hall", r => r.Status?.DeviceCount == 0, "the hall counts none");
        time.Advance(TimeSpan.FromMinutes(5));

        await devices.MergePatchAsync("t1", Namespace, new { spec = new { room = "hall" } });

        var kitchen = await EventuallyAsync(rooms, "kitchen", r => r.Status?.DeviceCount == 0, "the kitchen counts none");
        await EventuallyAsync(rooms, "hall", r => r.Status?.DeviceCount == 1, "the hall counts the device");
        Assert.Equal(Condition(before.Status, "Ready")!.LastTransitionTime, Condition(kitchen.Status, "Ready")!.LastTransitionTime);

        await devices.DeleteAsync("t1", Namespace);
        await EventuallyAsync(rooms, "hall", r => r.Status?.DeviceCount == 0, "the deleted device is no longer counted");
    }
}
