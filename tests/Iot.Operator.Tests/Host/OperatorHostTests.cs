using System.Text.Json;

using Iot.Api;
using Iot.Api.Devices;
using Iot.Kube;
using Iot.LocalCluster;

using k8s;
using k8s.Models;

namespace Iot.Operator.Tests.Host;

public sealed class OperatorHostTests
{
    private const string Building = "building-a";

    [Fact]
    public async Task The_operator_brings_the_example_building_to_Ready()
    {
        await using var cluster = await StartExamplesAsync();
        using var client = cluster.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = new OperatorHost(client, new OperatorOptions(), TimeProvider.System).RunAsync(stop.Token);

        await WaitUntilExamplesReadyAsync(client, stop.Token);
        var devices = await StatusesAsync(client, "devices", stop.Token);
        var rooms = await StatusesAsync(client, "rooms", stop.Token);
        var rules = await StatusesAsync(client, "edgerules", stop.Token);
        Assert.Equal("Disabled", devices["air-001"].GetProperty("phase").GetString());
        var secret = await client.CoreV1.ReadNamespacedSecretAsync("thermo-101-credentials", Building, cancellationToken: stop.Token);
        Assert.Equal("thermo-101", System.Text.Encoding.UTF8.GetString(secret.Data["username"]));
        Assert.Equal("Device", secret.Metadata.OwnerReferences.Single().Kind);
        Assert.Equal(4, rooms["lab-1"].GetProperty("deviceCount").GetInt32());
        Assert.Equal(3, rooms["office-2"].GetProperty("deviceCount").GetInt32());
        Assert.Equal(3, rooms["lobby"].GetProperty("deviceCount").GetInt32());
        Assert.Equal(2, rules["lab-overheating"].GetProperty("matchedDevices").GetInt32());

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(cluster.RequestLog.Requests, r => r.Resource == "leases" && r.Verb is "create" or "update" or "patch");
    }

    [Fact]
    public async Task A_restarted_operator_over_unchanged_objects_writes_nothing()
    {
        await using var cluster = await StartExamplesAsync();
        using var client = cluster.CreateClient();
        var options = new OperatorOptions { LeaderElection = false };
        using (var first = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
        {
            var running = new OperatorHost(client, options, TimeProvider.System).RunAsync(first.Token);
            await WaitUntilExamplesReadyAsync(client, first.Token);
            await Eventually.TrueAsync(async () => (await client.CoreV1.ListNamespacedServiceAsync(Building, cancellationToken: first.Token)).Items.Count == 4, "the workloads' Services exist", first.Token);
            await first.CancelAsync();
            await running.WaitAsync(TimeSpan.FromSeconds(30));
        }

        cluster.RequestLog.Clear();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var restarted = new OperatorHost(client, options, TimeProvider.System);
        var run = restarted.RunAsync(stop.Token);
        // Every object is reconciled once more (10 Devices, 3 Rooms, 4 EdgeRules, 2 AlertRoutes, 3 namespaces), then the queues are empty.
        var expected = new Dictionary<string, int> { ["device"] = 10, ["room"] = 3, ["edgerule"] = 4, ["alertroute"] = 2, ["workloads"] = 3 };
        await Eventually.TrueAsync(() => restarted.Controllers.All(c => c.Reconciles >= expected[c.Name] && c.QueueLength == 0), "every object was reconciled again", stop.Token);
        await stop.CancelAsync();
        await run.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.All(cluster.RequestLog.Requests, r => Assert.Contains(r.Verb, new[] { "list", "watch" }));
    }

    [Fact]
    public async Task Changes_made_while_watches_are_dropped_and_history_is_gone_are_not_missed()
    {
        // A watch history of one event: every resumed watch gets 410 Gone and the informers must relist.
        await using var cluster = await StartExamplesAsync(watchHistory: 1);
        using var client = cluster.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = new OperatorHost(client, new OperatorOptions { LeaderElection = false }, TimeProvider.System).RunAsync(stop.Token);
        await WaitUntilExamplesReadyAsync(client, stop.Token);
        var devices = new ResourceClient<Device>(client, KubeResource.For<Device>());
        var listsBefore = cluster.RequestLog.Requests.Count(r => r.Verb == "list" && r.Resource == "devices");

        cluster.DropWatches();
        await devices.DeleteAsync("thermo-101", Building, cancellationToken: stop.Token);
        await devices.MergePatchAsync("thermo-102", Building, new { spec = new { room = "lobby" } }, stop.Token);
        cluster.DropWatches();
        await devices.CreateAsync(new Device { Metadata = new V1ObjectMeta { Name = "thermo-199", NamespaceProperty = Building }, Spec = new DeviceSpec { Type = "thermostat", Room = "office-2" } }, stop.Token);
        cluster.DropWatches();

        await Eventually.TrueAsync(
            async () =>
            {
                var rooms = await StatusesAsync(client, "rooms", stop.Token);
                var status = await StatusesAsync(client, "devices", stop.Token);
                var secrets = await client.CoreV1.ListNamespacedSecretAsync(Building, cancellationToken: stop.Token);
                return Count(rooms["lab-1"]) == 2 && Count(rooms["lobby"]) == 4 && Count(rooms["office-2"]) == 4
                    && status.TryGetValue("thermo-199", out var added) && Phase(added) == "Ready"
                    && secrets.Items.All(s => s.Metadata.Name != "thermo-101-credentials");
            },
            "the deletion, the move and the creation were all reconciled",
            stop.Token);
        Assert.True(cluster.RequestLog.Requests.Count(r => r.Verb == "list" && r.Resource == "devices") > listsBefore, "the informers relisted after 410 Gone");

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public async Task Of_two_operators_exactly_one_reconciles_and_the_other_takes_over_when_it_stops()
    {
        await using var cluster = await StartExamplesAsync();
        using var client = cluster.CreateClient();
        static OperatorOptions Replica(string name) => new() { Identity = name, LeaseDuration = TimeSpan.FromSeconds(2) };
        using var stopA = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        using var stopB = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var a = new OperatorHost(client, Replica("replica-a"), TimeProvider.System);
        var b = new OperatorHost(client, Replica("replica-b"), TimeProvider.System);
        var runA = a.RunAsync(stopA.Token);
        var runB = b.RunAsync(stopB.Token);

        await WaitUntilExamplesReadyAsync(client, stopA.Token);
        var (leader, follower, stopLeader, runLeader) = a.IsLeader ? (a, b, stopA, runA) : (b, a, stopB, runB);
        Assert.True(leader.IsLeader);
        Assert.False(follower.IsLeader);
        Assert.True(leader.Controllers.Sum(c => c.Reconciles) > 0);
        Assert.Equal(0, follower.Controllers.Sum(c => c.Reconciles));
        await Eventually.TrueAsync(() => follower.HasSynced, "the follower's caches are warm");

        await stopLeader.CancelAsync();
        await runLeader.WaitAsync(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => follower.IsLeader, "the follower took over the Lease");
        var devices = new ResourceClient<Device>(client, KubeResource.For<Device>());
        await devices.CreateAsync(new Device { Metadata = new V1ObjectMeta { Name = "thermo-199", NamespaceProperty = Building }, Spec = new DeviceSpec { Type = "thermostat" } });
        await Eventually.TrueAsync(async () => (await devices.GetAsync("thermo-199", Building))?.Status?.Phase == DevicePhase.Ready, "the new leader reconciled a new Device");
        Assert.True(follower.Controllers.Sum(c => c.Reconciles) > 0);

        await (follower == a ? stopA : stopB).CancelAsync();
        await (follower == a ? runA : runB).WaitAsync(TimeSpan.FromSeconds(30));
    }

    private static Task<LocalCluster.LocalCluster> StartExamplesAsync(int watchHistory = 10_000) => LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions
    {
        CrdDirectory = RepositoryRoot.Combine("crds"),
        ApplyDirectory = RepositoryRoot.Combine("examples"),
        WatchHistorySize = watchHistory,
    });

    private static int Count(JsonElement room) => room.TryGetProperty("deviceCount", out var n) ? n.GetInt32() : -1;

    private static string? Phase(JsonElement device) => device.ValueKind == JsonValueKind.Object && device.TryGetProperty("phase", out var p) ? p.GetString() : null;

    private static async Task<Dictionary<string, JsonElement>> StatusesAsync(IKubernetes client, string plural, CancellationToken cancellationToken)
    {
        var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Building, plural, cancellationToken: cancellationToken);
        return list.GetProperty("items").EnumerateArray().ToDictionary(
            i => i.GetProperty("metadata").GetProperty("name").GetString()!,
            i => i.TryGetProperty("status", out var s) ? s : default);
    }

    private static bool Ready(JsonElement status) =>
        status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var conditions)
        && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");

    private static Task WaitUntilExamplesReadyAsync(IKubernetes client, CancellationToken cancellationToken) => Eventually.TrueAsync(
        async () =>
        {
            var objects = new List<JsonElement>();
            foreach (var plural in new[] { "rooms", "edgerules", "alertroutes" })
            {
                objects.AddRange((await StatusesAsync(client, plural, cancellationToken)).Values);
            }

            // air-001 is disabled in the examples, so it is never Ready.
            objects.AddRange((await StatusesAsync(client, "devices", cancellationToken)).Where(d => d.Key != "air-001").Select(d => d.Value));
            return objects.All(Ready);
        },
        "every example object is Ready",
        cancellationToken);
}
