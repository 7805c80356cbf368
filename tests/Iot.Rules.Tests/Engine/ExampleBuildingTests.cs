using Iot.Api.Devices;
using Iot.Api.EdgeRules;

namespace Iot.Rules.Tests.Engine;

public sealed class ExampleBuildingTests
{
    [Fact]
    public void Every_example_rule_runs_on_the_example_devices_without_a_problem()
    {
        using var h = new EngineHarness();
        var rules = Manifests.ReadFile<EdgeRule>(RepositoryRoot.Combine("examples", "30-edgerules.yaml")).ToList();
        var devices = Manifests.ReadFile<Device>(RepositoryRoot.Combine("examples", "20-devices.yaml")).ToList();
        h.Engine.ApplyRules(rules);
        h.Engine.ApplyDevices(devices);
        h.Engine.ApplyPendingChanges();

        Assert.NotEmpty(rules);
        Assert.Equal(rules.Count, h.Engine.RuleCount);
        Assert.Equal(devices.Count, h.Engine.DeviceCount);
        Assert.All(h.Engine.Statistics(), s => Assert.True(s.LastProblem is null, $"{s.Rule}: {s.LastProblem}"));
    }
}
