using System.Text.Json;

using k8s;

namespace Iot.Operator.Tests.Host;

public sealed class OperatorHostTests
{
    [Fact]
    public async Task The_operator_brings_the_example_building_to_Ready()
    {
        await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalCluster.LocalClusterOptions
        {
            CrdDirectory = RepositoryRoot.Combine("crds"),
            ApplyDirectory = RepositoryRoot.Combine("examples"),
        });
        using var client = cluster.CreateClient();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var running = new OperatorHost(client, new OperatorOptions(), TimeProvider.System).RunAsync(stop.Token);

        async Task<Dictionary<string, JsonElement>> StatusesAsync(string plural)
        {
            var list = (JsonElement)await client.CustomObjects.ListNamespacedCustomObjectAsync("iotoperator.io", "v1alpha1", "building-a", plural, cancellationToken: stop.Token);
            return list.GetProperty("items").EnumerateArray().ToDictionary(
                i => i.GetProperty("metadata").GetProperty("name").GetString()!,
                i => i.TryGetProperty("status", out var s) ? s : default);
        }

        static bool Ready(JsonElement status) =>
            status.ValueKind == JsonValueKind.Object && status.TryGetProperty("conditions", out var conditions)
            && conditions.EnumerateArray().Any(c => c.GetProperty("type").GetString() == "Ready" && c.GetProperty("status").GetString() == "True");

        while (true)
        {
            var rooms = await StatusesAsync("rooms");
            var rules = await StatusesAsync("edgerules");
            var routes = await StatusesAsync("alertroutes");
            var devices = await StatusesAsync("devices");
            var enabled = devices.Where(d => d.Key != "air-001").Select(d => d.Value); // air-001 is disabled in the examples
            if (rooms.Values.Concat(rules.Values).Concat(routes.Values).Concat(enabled).All(Ready))
            {
                Assert.Equal("Disabled", devices["air-001"].GetProperty("phase").GetString());
                var secret = await client.CoreV1.ReadNamespacedSecretAsync("thermo-101-credentials", "building-a", cancellationToken: stop.Token);
                Assert.Equal("thermo-101", System.Text.Encoding.UTF8.GetString(secret.Data["username"]));
                Assert.Equal("Device", secret.Metadata.OwnerReferences.Single().Kind);
                Assert.Equal(4, rooms["lab-1"].GetProperty("deviceCount").GetInt32());
                Assert.Equal(3, rooms["office-2"].GetProperty("deviceCount").GetInt32());
                Assert.Equal(3, rooms["lobby"].GetProperty("deviceCount").GetInt32());
                Assert.Equal(2, rules["lab-overheating"].GetProperty("matchedDevices").GetInt32());
                break;
            }

            await Task.Delay(50, stop.Token); // polling for an outcome, not timing one
        }

        await stop.CancelAsync();
        await running.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Contains(cluster.RequestLog.Requests, r => r.Resource == "leases" && r.Verb is "create" or "update" or "patch");
    }
}
