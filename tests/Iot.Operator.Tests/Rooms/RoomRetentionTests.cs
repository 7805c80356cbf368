using Iot.Api.Common;
using Iot.Api.Rooms;
using Iot.Kube;
using Iot.Operator.Rooms;
using Iot.Storage.Influx;

using k8s;
using k8s.Models;

using static Iot.Operator.Tests.Rules.ControllerTestSupport;

namespace Iot.Operator.Tests.Rooms;

public sealed class RoomRetentionTests : IAsyncLifetime
{
    private InfluxDbServer influx = null!;
    private InfluxClient client = null!;

    public async Task InitializeAsync()
    {
        influx = await InfluxDbServer.StartAsync();
        client = new InfluxClient(new InfluxOptions { Url = influx.Url });
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await influx.DisposeAsync();
    }

    private static Room Lab(bool deleteData = false) => new()
    {
        Metadata = new V1ObjectMeta { Name = "lab-1", NamespaceProperty = Namespace },
        Spec = new RoomSpec
        {
            Retention = new RoomRetention
            {
                Raw = "7d",
                Rollups = [new Rollup { Every = "5m", Keep = "90d" }, new Rollup { Every = "1h", Keep = "730d" }],
                DeleteDataOnRemoval = deleteData,
            },
        },
    };

    [Fact]
    public async Task A_rooms_retention_is_applied_drift_is_restored_and_deletion_drops_its_continuous_queries()
    {
        await using var cluster = await StartClusterAsync();
        using var kube = cluster.CreateClient();
        var time = new ManualTimeProvider(DateTimeOffset.UtcNow);
        var rooms = new ResourceClient<Room>(kube, RoomController.Rooms);
        await rooms.CreateAsync(Lab());
        var controller = RoomController.Create(kube, time, new RetentionOptions { InfluxDb = client.Options }, new ControllerOptions { Name = "room", Queue = new WorkQueueOptions { Time = time } });
        await using (var running = await RunAsync(controller))
        {
            var room = await EventuallyAsync(rooms, "lab-1", r => Condition(r.Status, RoomController.RetentionApplied)?.Status == ConditionStatus.True, "retention was applied");
            Assert.Equal(ConditionStatus.True, Condition(room.Status, "Ready")!.Status);
            Assert.Equal(("7d", 2), (room.Status!.Retention!.Raw, room.Status.Retention.Rollups!.Count));
            Assert.Contains(RoomController.Finalizer, room.Metadata.Finalizers);
            var policies = (await client.ShowRetentionPoliciesAsync(Namespace)).ToDictionary(p => p.Name, p => p.Duration);
            Assert.Equal(TimeSpan.FromDays(7), policies["lab-1_raw"]);
            Assert.Equal(TimeSpan.FromDays(90), policies["lab-1_5m"]);
            Assert.Equal(TimeSpan.FromDays(730), policies["lab-1_1h"]);
            Assert.True(policies.ContainsKey("default_raw"));
            Assert.Equal(["lab-1_1h", "lab-1_5m"], (await client.ShowContinuousQueriesAsync(Namespace)).Select(q => q.Name).Order(StringComparer.Ordinal));

            // Someone drops a policy and a continuous query, and shortens another policy, by hand: the next resync restores them.
            await client.DropRetentionPolicyAsync(Namespace, "lab-1_5m");
            await client.DropContinuousQueryAsync(Namespace, "lab-1_1h");
            await client.AlterRetentionPolicyAsync(Namespace, new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(1), TimeSpan.Zero));
            time.Advance(TimeSpan.FromMinutes(5));
            await Iot.Testing.Eventually.TrueAsync(
                async () => (await client.ShowRetentionPoliciesAsync(Namespace)) is var now
                    && now.Any(p => p.Name == "lab-1_5m") && now.Single(p => p.Name == "lab-1_raw").Duration == TimeSpan.FromDays(7)
                    && (await client.ShowContinuousQueriesAsync(Namespace)).Any(q => q.Name == "lab-1_1h"),
                "the dropped and altered retention was restored");
            await Iot.Testing.Eventually.TrueAsync(
                async () => (await kube.CoreV1.ListNamespacedEventAsync(Namespace)).Items.Any(e => e.Reason == "RetentionRestored" && e.Type == "Warning"),
                "a Warning Event tells what was restored");
            Assert.Equal(0, controller.Errors);

            await rooms.DeleteAsync("lab-1", Namespace);
            await Iot.Testing.Eventually.TrueAsync(async () => await rooms.GetAsync("lab-1", Namespace) is null, "the Room is gone once its finalizer ran");
        }

        Assert.Empty(await client.ShowContinuousQueriesAsync(Namespace));
        Assert.Contains(await client.ShowRetentionPoliciesAsync(Namespace), p => p.Name == "lab-1_raw"); // data stays by default
    }

    [Fact]
    public async Task With_deleteDataOnRemoval_the_rooms_policies_go_with_it()
    {
        await using var cluster = await StartClusterAsync();
        using var kube = cluster.CreateClient();
        var rooms = new ResourceClient<Room>(kube, RoomController.Rooms);
        await rooms.CreateAsync(Lab(deleteData: true));
        await using var running = await RunAsync(RoomController.Create(kube, TimeProvider.System, new RetentionOptions { InfluxDb = client.Options }));
        await EventuallyAsync(rooms, "lab-1", r => Condition(r.Status, RoomController.RetentionApplied)?.Status == ConditionStatus.True, "retention was applied");

        await rooms.DeleteAsync("lab-1", Namespace);

        await Iot.Testing.Eventually.TrueAsync(async () => await rooms.GetAsync("lab-1", Namespace) is null, "the Room is gone once its finalizer ran");
        Assert.DoesNotContain(await client.ShowRetentionPoliciesAsync(Namespace), p => p.Name.StartsWith("lab-1_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_unreachable_InfluxDB_makes_the_room_not_ready_with_the_reason()
    {
        await using var cluster = await StartClusterAsync();
        using var kube = cluster.CreateClient();
        var rooms = new ResourceClient<Room>(kube, RoomController.Rooms);
        await rooms.CreateAsync(Lab());
        var nowhere = new InfluxOptions { Url = new Uri($"http://127.0.0.1:{FreePort.Next()}"), Timeout = TimeSpan.FromSeconds(2) };
        await using var running = await RunAsync(RoomController.Create(kube, TimeProvider.System, new RetentionOptions { InfluxDb = nowhere }));

        var room = await EventuallyAsync(rooms, "lab-1", r => Condition(r.Status, RoomController.RetentionApplied)?.Status == ConditionStatus.False, "the failure is reported");
        var applied = Condition(room.Status, RoomController.RetentionApplied)!;
        Assert.Equal("InfluxDBUnreachable", applied.Reason);
        Assert.Contains(nowhere.Url.ToString(), applied.Message, StringComparison.Ordinal);
        Assert.Equal((ConditionStatus.False, "InfluxDBUnreachable"), (Condition(room.Status, "Ready")!.Status, Condition(room.Status, "Ready")!.Reason));
    }
}
