using Iot.Api.EdgeRules;
using Iot.Rules.Engine;

using k8s;

namespace Iot.Rules.Tests.Engine;

public sealed class SelectorMatcherTests
{
    private static readonly string[] Selectors =
    [
        "{}",
        "{matchLabels: {zone: north}}",
        "{matchLabels: {zone: north, tier: '1'}}",
        "{types: [thermostat, hvac]}",
        "{types: [door-sensor]}",
        "{rooms: [lab-1]}",
        "{rooms: []}",
        "{types: [], rooms: [lab-2, office]}",
        "{matchExpressions: [{key: zone, operator: In, values: [north, east]}]}",
        "{matchExpressions: [{key: zone, operator: NotIn, values: [north]}]}",
        "{matchExpressions: [{key: tier, operator: Exists}]}",
        "{matchExpressions: [{key: tier, operator: DoesNotExist}]}",
        "{matchLabels: {zone: south}, types: [thermostat], rooms: [lab-2], matchExpressions: [{key: tier, operator: Exists}]}",
    ];

    private static readonly string[] Devices =
    [
        "{name: a, labels: {zone: north, tier: '1'}}|{type: thermostat, room: lab-1}",
        "{name: b, labels: {zone: south, tier: '2'}}|{type: thermostat, room: lab-2}",
        "{name: c, labels: {zone: east}}|{type: hvac}",
        "{name: d}|{type: door-sensor, room: office}",
    ];

    [Fact]
    public void The_compiled_matcher_agrees_with_DeviceSelector_on_every_selector_and_device()
    {
        var outcomes = new HashSet<bool>();
        foreach (var yaml in Selectors)
        {
            var selector = KubernetesJson.Deserialize<DeviceSelector>(Iot.Api.Manifests.ManifestReader.Read($"s: {yaml}", "test").Single().Content["s"]!.ToJsonString());
            var matcher = new SelectorMatcher(selector);
            foreach (var text in Devices)
            {
                var parts = text.Split('|');
                var device = Manifests.Device($"metadata: {parts[0]}\nspec: {parts[1]}");
                var expected = selector.Matches(device);
                Assert.True(expected == matcher.Matches(DeviceInfo.From(device)), $"{yaml} on {parts[0]}");
                outcomes.Add(expected);
            }
        }

        Assert.Equal(2, outcomes.Count);
    }
}
