using Iot.Api.AlertRoutes;
using Iot.Api.Common;
using Iot.Kube;
using Iot.Operator.AlertRoutes;

using k8s.Models;

using static Iot.Operator.Tests.Rules.ControllerTestSupport;

namespace Iot.Operator.Tests.AlertRoutes;

public sealed class AlertRouteControllerTests
{
    private static AlertRoute NewRoute(string name, string? repeatInterval = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        Spec = new AlertRouteSpec
        {
            GroupInterval = "5m",
            RepeatInterval = repeatInterval ?? "4h",
            Receivers =
            [
                new Receiver { Name = "ops", Slack = new SlackReceiver { UrlSecretRef = new SecretKeySelector { Name = "slack", Key = "url" } } },
                new Receiver { Name = "bus", Mqtt = new MqttReceiver { Topic = "alerts/all" } },
            ],
        },
    };

    private static V1Secret NewSecret(string name, string key) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = Namespace },
        StringData = new Dictionary<string, string> { [key] = "https://hooks.example/x" },
    };

    [Fact]
    public async Task A_valid_route_with_its_secret_is_ready()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var routes = new ResourceClient<AlertRoute>(client, AlertRouteController.AlertRoutes);
        await new ResourceClient<V1Secret>(client, AlertRouteController.Secrets).CreateAsync(NewSecret("slack", "url"));
        await routes.CreateAsync(NewRoute("default"));
        await using var running = await RunAsync(AlertRouteController.Create(client, TimeProvider.System));

        var route = await EventuallyAsync(routes, "default", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.True, "the route is ready");
        Assert.Equal(ConditionStatus.True, Condition(route.Status, AlertRouteController.ReceiversResolved)!.Status);
        Assert.Equal(2, route.Status!.ReadyReceivers);
        Assert.Equal(route.Metadata.Generation, route.Status.ObservedGeneration);
    }

    [Fact]
    public async Task An_invalid_route_is_not_ready_with_the_field_and_message()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var routes = new ResourceClient<AlertRoute>(client, AlertRouteController.AlertRoutes);
        await new ResourceClient<V1Secret>(client, AlertRouteController.Secrets).CreateAsync(NewSecret("slack", "url"));
        await routes.CreateAsync(NewRoute("default", repeatInterval: "1m"));
        await using var running = await RunAsync(AlertRouteController.Create(client, TimeProvider.System));

        var route = await EventuallyAsync(routes, "default", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.False, "the route is not ready");
        var ready = Condition(route.Status, "Ready")!;
        Assert.Equal("InvalidSpec", ready.Reason);
        Assert.Equal("spec.repeatInterval: repeatInterval (1m) must be at least groupInterval (5m)", ready.Message);
        Assert.Equal(ConditionStatus.True, Condition(route.Status, AlertRouteController.ReceiversResolved)!.Status);
    }

    [Fact]
    public async Task A_missing_secret_or_key_leaves_the_receivers_unresolved_until_the_secret_appears()
    {
        await using var cluster = await StartClusterAsync();
        using var client = cluster.CreateClient();
        var routes = new ResourceClient<AlertRoute>(client, AlertRouteController.AlertRoutes);
        var secrets = new ResourceClient<V1Secret>(client, AlertRouteController.Secrets);
        await routes.CreateAsync(NewRoute("default"));
        await using var running = await RunAsync(AlertRouteController.Create(client, TimeProvider.System));

        var route = await EventuallyAsync(routes, "default", r => Condition(r.Status, AlertRouteController.ReceiversResolved)?.Status == ConditionStatus.False, "the receivers are unresolved");
        var resolved = Condition(route.Status, AlertRouteController.ReceiversResolved)!;
        Assert.Equal("SecretNotFound", resolved.Reason);
        Assert.Equal("spec.receivers[0].slack.urlSecretRef: Secret \"slack\" not found in namespace test", resolved.Message);
        Assert.Equal(ConditionStatus.False, Condition(route.Status, "Ready")!.Status);
        Assert.Equal(1, route.Status!.ReadyReceivers);

        await secrets.CreateAsync(NewSecret("slack", "token"));
        route = await EventuallyAsync(routes, "default", r => Condition(r.Status, AlertRouteController.ReceiversResolved)?.Reason == "KeyNotFound", "the key is reported missing");
        Assert.Equal("spec.receivers[0].slack.urlSecretRef: Secret \"slack\" has no key(s) url", Condition(route.Status, AlertRouteController.ReceiversResolved)!.Message);

        await secrets.DeleteAsync("slack", Namespace);
        await secrets.CreateAsync(NewSecret("slack", "url"));
        route = await EventuallyAsync(routes, "default", r => Condition(r.Status, "Ready")?.Status == ConditionStatus.True, "the Secret made the route ready");
        Assert.Equal(ConditionStatus.True, Condition(route.Status, AlertRouteController.ReceiversResolved)!.Status);
        Assert.Equal(2, route.Status!.ReadyReceivers);
    }
}
