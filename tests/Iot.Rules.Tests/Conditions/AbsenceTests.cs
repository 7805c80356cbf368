using Iot.Api.Alerts;

namespace Iot.Rules.Tests.Conditions;

public sealed class AbsenceTests
{
    private const string Silent = """
        metadata: {name: silent, namespace: building-a}
        spec:
          selector: {types: [thermostat]}
          condition: {absence: {for: 5m}}
          actions: [{alert: {severity: warning, summary: '{device} silent for {value} s'}}]
        """;

    [Fact]
    public void Absence_fires_after_the_timeout_without_a_message_and_resolves_on_the_next_message()
    {
        using var h = new EngineHarness().WithRule(Silent).WithThermostats("t-1");
        var start = h.Now;

        h.Advance(TimeSpan.FromMinutes(1));
        h.Send("t-1", ("temperature", 21.0));
        h.Advance(TimeSpan.FromSeconds(299));
        Assert.Empty(h.Alerts);

        h.Advance(TimeSpan.FromSeconds(1));
        var firing = Assert.Single(h.Alerts);
        Assert.Equal(start.AddMinutes(6), firing.StartsAt);
        Assert.Equal("t-1 silent for 300 s", firing.Annotations["summary"]);

        h.Advance(TimeSpan.FromMinutes(30));
        Assert.Single(h.Alerts);

        h.Send("t-1", ("temperature", 21.0));
        Assert.Equal([AlertStatus.Firing, AlertStatus.Resolved], h.Alerts.Select(a => a.Status));
        Assert.Equal(start.AddMinutes(36), h.Alerts[1].EndsAt);
    }

    [Fact]
    public void A_device_that_keeps_talking_is_never_absent()
    {
        using var h = new EngineHarness().WithRule(Silent).WithThermostats("t-1");

        h.Stream("t-1", "temperature", 21.0, TimeSpan.FromHours(1), every: TimeSpan.FromSeconds(290));

        Assert.Empty(h.Alerts);
    }

    [Fact]
    public void After_a_restart_no_device_is_absent_before_a_full_timeout_since_the_start()
    {
        var clock = new ManualTimeProvider();
        using (var before = new EngineHarness(clock: clock).WithRule(Silent).WithThermostats("t-1", "t-2"))
        {
            before.Send("t-1", ("temperature", 21.0));
            before.Advance(TimeSpan.FromMinutes(2));
        }

        clock.Advance(TimeSpan.FromHours(3)); // ingest was down; both devices have been silent for hours
        using var after = new EngineHarness(clock: clock).WithRule(Silent).WithThermostats("t-1", "t-2");
        var restart = after.Now;
        after.Engine.Tick();
        after.Advance(TimeSpan.FromSeconds(299));
        Assert.Empty(after.Alerts);

        after.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["t-1", "t-2"], after.Alerts.Select(a => a.Device).Order());
        Assert.All(after.Alerts, a => Assert.Equal(restart.AddMinutes(5), a.StartsAt));
    }

    [Fact]
    public void A_device_added_later_gets_a_full_timeout_from_when_it_was_added()
    {
        using var h = new EngineHarness().WithRule(Silent).WithThermostats("t-1");
        var start = h.Now;

        h.Advance(TimeSpan.FromMinutes(4));
        h.Engine.UpsertDevice(Manifests.Thermostat("t-2"));
        h.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["t-1"], h.Alerts.Select(a => a.Device));

        h.Advance(TimeSpan.FromMinutes(4));
        Assert.Equal(["t-1", "t-2"], h.Alerts.Select(a => a.Device));
        Assert.Equal(start.AddMinutes(9), h.Alerts[1].StartsAt);
    }
}
