using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Iot.Api.AlertRoutes;
using Iot.Kube;
using Iot.LocalCluster;
using Iot.Notify.Alerts;
using Iot.Notify.Tests.Support;

using k8s;
using k8s.Models;

using Microsoft.Extensions.DependencyInjection;

using static Iot.Notify.Tests.Support.TestRoutes;

namespace Iot.Notify.Tests.Routes;

/// <summary>notify's routes from AlertRoute objects and Secrets of its namespace, through the local Kubernetes API server.</summary>
public sealed class KubernetesRouteSourceTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private LocalCluster.LocalCluster cluster = null!;
    private Kubernetes client = null!;
    private ResourceClient<AlertRoute> alertRoutes = null!;

    public async Task InitializeAsync()
    {
        cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions { CrdDirectory = RepositoryRoot.Combine("crds") });
        client = cluster.CreateClient();
        await client.CoreV1.CreateNamespaceAsync(new V1Namespace { Metadata = new V1ObjectMeta { Name = Namespace } });
        alertRoutes = new ResourceClient<AlertRoute>(client, KubeResource.For<AlertRoute>());
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await cluster.DisposeAsync();
        directory.Dispose();
    }

    [Fact]
    public async Task Routes_follow_the_AlertRoutes_of_the_namespace_as_they_are_created_changed_and_deleted()
    {
        await alertRoutes.CreateAsync(Route("ops", priority: 20));
        await using var host = await StartAsync();
        Assert.Equal(["ops"], host.Dispatcher.Routes.Routes.Select(r => r.Name));

        await alertRoutes.CreateAsync(Route("critical", priority: 10, matchers: ["severity=\"critical\""]));
        await Eventually.TrueAsync(() => host.Dispatcher.Routes.Routes.Count == 2, "the new route is used");
        var test = await host.Client.GetFromJsonAsync<JsonElement>("/routes/test?labels=severity=critical");
        Assert.Equal("critical", test.GetProperty("routes")[0].GetProperty("route").GetString());
        Assert.True(test.GetProperty("routes")[0].GetProperty("matched").GetBoolean());

        await alertRoutes.MergePatchAsync("critical", Namespace, new { spec = new { priority = 30 } });
        await Eventually.TrueAsync(() => host.Dispatcher.Routes.Routes[0].Name == "ops", "the changed priority is used");

        await alertRoutes.DeleteAsync("ops", Namespace);
        await Eventually.TrueAsync(() => host.Dispatcher.Routes.Routes.Select(r => r.Name).SequenceEqual(["critical"]), "the deleted route is gone");
    }

    [Fact]
    public async Task A_webhook_token_is_read_from_the_secret_the_receiver_references()
    {
        await using var target = await HttpTarget.StartAsync();
        await client.CoreV1.CreateNamespacedSecretAsync(new V1Secret
        {
            Metadata = new V1ObjectMeta { Name = "hook", NamespaceProperty = Namespace },
            Data = new Dictionary<string, byte[]> { ["token"] = Encoding.UTF8.GetBytes("from-the-secret") },
        }, Namespace);
        await alertRoutes.CreateAsync(Route("ops", groupWait: "0s", receivers: [Webhook("ops-hook", target.Url, tokenSecret: "hook")]));
        await using var host = await StartAsync();

        await host.Services.GetRequiredService<AlertIntake>().HandleAsync(Firing("overheat", "thermo-1"), CancellationToken.None);

        await Eventually.TrueAsync(() => target.Accepted.Count() == 1, "the webhook is called");
        Assert.Equal("Bearer from-the-secret", target.Accepted.Single().Authorization);
    }

    [Fact]
    public async Task An_invalid_AlertRoute_is_left_out_and_the_others_still_route()
    {
        var broken = Route("broken", priority: 1);
        broken.Spec.Matchers = ["severity=~\"(\""];
        await alertRoutes.CreateAsync(broken);
        await alertRoutes.CreateAsync(Route("ops"));
        await using var host = await StartAsync();

        Assert.Equal(["ops"], host.Dispatcher.Routes.Routes.Select(r => r.Name));
        Assert.StartsWith("broken: spec.matchers[0]", Assert.Single(host.Dispatcher.Routes.Errors), StringComparison.Ordinal);
    }

    private Task<NotifyHost> StartAsync() => NotifyHost.StartAsync(
        routes: null,
        TimeProvider.System,
        new Dictionary<string, string?> { ["Notify:Store:Provider"] = "sqlite", ["Notify:Store:Path"] = Path.Combine(directory.Path, "notify.db") },
        services => services.AddSingleton<IKubernetes>(cluster.CreateClient()));
}
