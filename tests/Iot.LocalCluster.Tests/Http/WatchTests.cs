using System.Text.Json.Nodes;

using Iot.Api;
using Iot.Api.Devices;

using k8s;

namespace Iot.LocalCluster.Tests.Http;

public sealed class WatchTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    /// <summary>Reads the raw watch stream: one JSON event per line.</summary>
    private static async IAsyncEnumerable<JsonObject> RawWatchAsync(LocalCluster cluster, string query, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient { BaseAddress = cluster.Url, Timeout = Timeout.InfiniteTimeSpan };
        using var response = await http.GetAsync(new Uri($"/apis/iotoperator.io/v1alpha1/namespaces/{Clusters.Namespace}/devices?watch=true&{query}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken));
        while (await reader.ReadLineAsync(cancellationToken) is { } line)
        {
            yield return JsonNode.Parse(line)!.AsObject();
        }
    }

    [Fact]
    public async Task The_client_sees_added_modified_and_deleted_events()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        using var cts = new CancellationTokenSource(Patience);
        // Watching from the list's resourceVersion sees every later change, however late the watch connects.
        var list = await client.CustomObjects.ListNamespacedCustomObjectAsync<CustomResourceList<Device>>(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", cancellationToken: cts.Token);
        var reading = Task.Run(async () =>
        {
            var seen = new List<string>();
            await foreach (var (type, item) in client.CustomObjects.WatchListNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                var device = KubernetesJson.Deserialize<Device>(((System.Text.Json.JsonElement)item).GetRawText());
                seen.Add($"{type} {device.Metadata.Name}");
                if (type == WatchEventType.Deleted)
                {
                    break;
                }
            }

            return seen;
        });
        await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        await client.PatchDeviceAsync("a", """{"spec":{"room":"lab-1"}}""");
        await client.CustomObjects.DeleteNamespacedCustomObjectAsync(IotApi.Group, IotApi.Version, Clusters.Namespace, "devices", "a", cancellationToken: cts.Token);
        var events = await reading.WaitAsync(cts.Token);
        Assert.Equal(["Added a", "Modified a", "Deleted a"], events);
    }

    [Fact]
    public async Task Watching_from_a_resource_version_replays_later_events()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        var a = await client.CreateDeviceAsync(Clusters.NewDevice("a"));
        await client.CreateDeviceAsync(Clusters.NewDevice("b"));
        await client.PatchDeviceAsync("a", """{"spec":{"room":"lab-1"}}""");
        using var cts = new CancellationTokenSource(Patience);
        var seen = new List<string>();
        await foreach (var e in RawWatchAsync(cluster, $"resourceVersion={a.Metadata.ResourceVersion}", cts.Token))
        {
            seen.Add($"{e["type"]} {e["object"]!["metadata"]!["name"]}");
            if (seen.Count == 2)
            {
                break;
            }
        }

        Assert.Equal(["ADDED b", "MODIFIED a"], seen);
    }

    [Fact]
    public async Task A_resource_version_older_than_the_history_gets_a_410_Expired_error_event()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync(new LocalClusterOptions { WatchHistorySize = 5 });
        using var client = cluster.CreateClient();
        var first = await client.CreateDeviceAsync(Clusters.NewDevice("first"));
        for (var i = 0; i < 10; i++)
        {
            await client.CreateDeviceAsync(Clusters.NewDevice($"d-{i}"));
        }

        using var cts = new CancellationTokenSource(Patience);
        var events = new List<JsonObject>();
        await foreach (var e in RawWatchAsync(cluster, $"resourceVersion={first.Metadata.ResourceVersion}", cts.Token))
        {
            events.Add(e);
        }

        var error = Assert.Single(events);
        Assert.Equal("ERROR", (string)error["type"]!);
        Assert.Equal((410, "Expired"), ((int)error["object"]!["code"]!, (string)error["object"]!["reason"]!));
    }

    [Fact]
    public async Task A_watch_ends_at_its_timeout()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var cts = new CancellationTokenSource(Patience);
        var count = 0;
        await foreach (var unused in RawWatchAsync(cluster, "timeoutSeconds=1", cts.Token))
        {
            count++;
        }

        Assert.Equal(0, count);
        Assert.False(cts.IsCancellationRequested, "the server ended the stream, not the test's patience");
    }

    [Fact]
    public async Task Selectors_apply_to_watches()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var client = cluster.CreateClient();
        using var cts = new CancellationTokenSource(Patience);
        var stream = RawWatchAsync(cluster, "labelSelector=zone%3Dnorth", cts.Token).GetAsyncEnumerator(cts.Token);
        var next = stream.MoveNextAsync();
        await client.CreateDeviceAsync(Clusters.NewDevice("south", labels: new() { ["zone"] = "south" }));
        await client.CreateDeviceAsync(Clusters.NewDevice("north", labels: new() { ["zone"] = "north" }));
        Assert.True(await next);
        Assert.Equal(("ADDED", "north"), ((string)stream.Current["type"]!, (string)stream.Current["object"]!["metadata"]!["name"]!));
        await stream.DisposeAsync();
    }

    [Fact]
    public async Task Bookmarks_carry_the_current_resource_version()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync(new LocalClusterOptions { BookmarkInterval = TimeSpan.FromMilliseconds(100) });
        using var cts = new CancellationTokenSource(Patience);
        await foreach (var e in RawWatchAsync(cluster, "allowWatchBookmarks=true", cts.Token))
        {
            Assert.Equal("BOOKMARK", (string)e["type"]!);
            Assert.False(string.IsNullOrEmpty((string?)e["object"]!["metadata"]!["resourceVersion"]));
            break;
        }
    }

    [Fact]
    public async Task Dropping_watches_ends_every_open_stream()
    {
        await using var cluster = await Clusters.StartWithCrdsAsync();
        using var cts = new CancellationTokenSource(Patience);
        var reading = Task.Run(async () =>
        {
            var n = 0;
            await foreach (var unused in RawWatchAsync(cluster, "", cts.Token))
            {
                n++;
            }

            return n;
        });
        // The watch may not have connected yet: drop until the stream has ended.
        while (!reading.IsCompleted)
        {
            cluster.DropWatches();
            await Task.WhenAny(reading, Task.Delay(50, cts.Token));
        }

        Assert.Equal(0, await reading);
    }
}
