using Iot.Api.AlertRoutes;
using Iot.Api.Alerts;
using Iot.Notify.Grouping;
using Iot.Notify.Routing;
using Iot.Storage.Events;

using static Iot.Notify.Tests.Support.TestRoutes;

namespace Iot.Notify.Tests.Grouping;

public sealed class AlertDispatcherTests : IDisposable
{
    private readonly ManualTimeProvider time = new();
    private readonly AlertDispatcher dispatcher;

    public AlertDispatcherTests() => dispatcher = new AlertDispatcher(time);

    public void Dispose() => dispatcher.Dispose();

    [Fact]
    public void Alerts_arriving_within_group_wait_are_sent_together_once_it_has_passed()
    {
        Use(Route("ops", groupBy: ["room"], groupWait: "30s"));

        dispatcher.Receive(Firing("overheat", "t1", "lab-1"));
        time.Advance(TimeSpan.FromSeconds(10));
        dispatcher.Receive(Firing("overheat", "t2", "lab-1"));
        dispatcher.Receive(Firing("overheat", "t3", "lab-2"));
        time.Advance(TimeSpan.FromSeconds(19));
        Assert.Empty(Sent());

        time.Advance(TimeSpan.FromSeconds(1));
        var lab1 = Assert.Single(Sent());
        Assert.Equal("ops:{room=\"lab-1\"}", lab1.GroupKey);
        Assert.Equal(["t1", "t2"], lab1.Firing.Select(a => a.Device).Order());

        time.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(["t3"], Assert.Single(Sent()).Firing.Select(a => a.Device));
    }

    [Fact]
    public void An_alert_joining_a_notified_group_waits_for_the_group_interval()
    {
        Use(Route("ops", groupWait: "30s", groupInterval: "5m"));
        dispatcher.Receive(Firing("overheat", "t1"));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(Sent());

        dispatcher.Receive(Firing("overheat", "t2"));
        time.Advance(TimeSpan.FromMinutes(4));
        Assert.Empty(Sent());

        time.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(["t1", "t2"], Assert.Single(Sent()).Firing.Select(a => a.Device).Order());
    }

    [Fact]
    public void An_unchanged_group_is_repeated_after_the_repeat_interval_and_not_before()
    {
        Use(Route("ops", groupWait: "30s", groupInterval: "5m", repeatInterval: "1h"));
        dispatcher.Receive(Firing("overheat", "t1"));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(Sent());

        time.Advance(TimeSpan.FromMinutes(55));
        Assert.Empty(Sent());

        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(Sent());
    }

    [Fact]
    public void A_resolved_alert_is_notified_at_the_next_group_interval_and_then_leaves_the_group()
    {
        Use(Route("ops", groupWait: "30s", groupInterval: "5m"));
        var alert = Firing("overheat", "t1");
        dispatcher.Receive(alert);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(Sent());

        dispatcher.Receive(Resolved(alert, time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(5));
        var resolved = Assert.Single(Sent());
        Assert.Empty(resolved.Firing);
        Assert.Equal(AlertStatus.Resolved, Assert.Single(resolved.Resolved).Status);
        Assert.Equal(0, dispatcher.GroupCount);
        Assert.Equal(0, dispatcher.ActiveAlerts);
    }

    [Fact]
    public void An_alert_resolved_before_its_group_was_notified_is_never_sent()
    {
        Use(Route("ops", groupWait: "30s"));
        var alert = Firing("overheat", "t1");
        dispatcher.Receive(alert);
        dispatcher.Receive(Resolved(alert, time.GetUtcNow()));

        time.Advance(TimeSpan.FromMinutes(10));

        Assert.Empty(Sent());
        Assert.Equal(0, dispatcher.GroupCount);
    }

    [Fact]
    public void Group_wait_zero_sends_at_once()
    {
        Use(Route("ops", groupWait: "0s"));

        dispatcher.Receive(Firing("overheat", "t1"));

        Assert.Single(Sent());
    }

    [Fact]
    public void A_critical_alert_inhibits_warnings_of_the_same_room_only()
    {
        var route = Route("ops", groupBy: ["..."], groupWait: "30s");
        route.Spec.Inhibit = [new InhibitRule { SourceMatchers = ["severity=\"critical\""], TargetMatchers = ["severity=\"warning\""], Equal = ["room"] }];
        Use(route);

        dispatcher.Receive(Firing("fire", "smoke-1", "lab-1", null, ("severity", "critical")));
        dispatcher.Receive(Firing("warm", "t1", "lab-1", null, ("severity", "warning")));
        dispatcher.Receive(Firing("warm", "t2", "lab-2", null, ("severity", "warning")));
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Equal(["smoke-1", "t2"], Sent().SelectMany(n => n.Firing).Select(a => a.Device).Order());
    }

    [Fact]
    public void A_warning_inhibited_while_the_critical_fired_is_notified_once_the_critical_resolves()
    {
        var route = Route("ops", groupBy: ["device"], groupWait: "30s", groupInterval: "1m");
        route.Spec.Inhibit = [new InhibitRule { SourceMatchers = ["severity=\"critical\""], TargetMatchers = ["severity=\"warning\""] }];
        Use(route);
        var critical = Firing("fire", "smoke-1", null, null, ("severity", "critical"));
        dispatcher.Receive(critical);
        dispatcher.Receive(Firing("warm", "t1", null, null, ("severity", "warning")));
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["smoke-1"], Sent().SelectMany(n => n.Firing).Select(a => a.Device));

        dispatcher.Receive(Resolved(critical, time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(1));

        Assert.Equal(["t1"], Sent().SelectMany(n => n.Firing).Select(a => a.Device));
    }

    [Fact]
    public void A_muted_route_sends_nothing_during_its_interval_and_catches_up_after_it()
    {
        // The clock starts on Thursday 2026-01-01 at 00:00 UTC: inside a 22:00 to 06:00 mute.
        var route = Route("ops", groupWait: "30s", groupInterval: "1h");
        route.Spec.MuteTimeIntervals = [new MuteTimeInterval { Times = [new TimeRange { Start = "22:00", End = "06:00" }] }];
        Use(route);
        dispatcher.Receive(Firing("overheat", "t1"));

        time.Advance(TimeSpan.FromHours(6)); // ticks at 00:00:30, 01:00:30, … 05:00:30, all muted
        Assert.Empty(Sent());

        time.Advance(TimeSpan.FromMinutes(1)); // the 06:00:30 tick
        Assert.Single(Sent());
    }

    [Fact]
    public void A_silenced_alert_is_left_out_until_the_silence_ends()
    {
        Use(Route("ops", groupWait: "30s", groupInterval: "5m"));
        var now = time.GetUtcNow();
        dispatcher.AddSilence(new Silence("s1", [Matcher.Parse("device=\"t1\"")], now, now.AddMinutes(10)));
        dispatcher.Receive(Firing("overheat", "t1"));
        dispatcher.Receive(Firing("overheat", "t2"));

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(["t2"], Assert.Single(Sent()).Firing.Select(a => a.Device));
        Assert.Equal(["s1"], dispatcher.SilencedBy(new Dictionary<string, string> { ["device"] = "t1" }));

        time.Advance(TimeSpan.FromMinutes(10)); // ticks at 5m30s (still silenced) and 10m30s (silence over)
        Assert.Equal(["t1", "t2"], Assert.Single(Sent()).Firing.Select(a => a.Device).Order());
    }

    [Fact]
    public void An_acknowledged_alert_is_not_repeated_but_its_resolution_is_sent()
    {
        Use(Route("ops", groupWait: "30s", groupInterval: "5m", repeatInterval: "1h"));
        var alert = Firing("overheat", "t1");
        dispatcher.Receive(alert);
        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Single(Sent());

        dispatcher.Acknowledge(alert.Fingerprint);
        time.Advance(TimeSpan.FromHours(2));
        Assert.Empty(Sent());

        dispatcher.Receive(Resolved(alert, time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Single(Assert.Single(Sent()).Resolved);
    }

    [Fact]
    public void An_acknowledged_alert_stays_reported_so_its_resolution_is_sent_after_other_notifications_of_its_group()
    {
        Use(Route("ops", groupWait: "30s", groupInterval: "5m"));
        var acked = Firing("overheat", "t1");
        dispatcher.Receive(acked);
        time.Advance(TimeSpan.FromSeconds(30));
        Sent();
        dispatcher.Acknowledge(acked.Fingerprint);

        dispatcher.Receive(Firing("overheat", "t2"));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["t2"], Assert.Single(Sent()).Firing.Select(a => a.Device));

        dispatcher.Receive(Resolved(acked, time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(5));
        Assert.Equal(["t1"], Assert.Single(Sent()).Resolved.Select(a => a.Device));
    }

    [Fact]
    public void An_acknowledgement_ends_with_the_episode_so_the_alert_firing_again_is_notified()
    {
        Use(Route("ops", groupWait: "0s"));
        var alert = Firing("overheat", "t1");
        dispatcher.Receive(alert);
        dispatcher.Acknowledge(alert.Fingerprint);
        dispatcher.Receive(Resolved(alert, time.GetUtcNow()));
        time.Advance(TimeSpan.FromMinutes(5));
        Sent();

        dispatcher.Receive(alert with { StartsAt = time.GetUtcNow() });

        Assert.Single(Assert.Single(Sent()).Firing);
    }

    [Fact]
    public void A_restored_notification_log_keeps_a_restart_from_repeating_early()
    {
        var route = Route("ops", groupWait: "30s", groupInterval: "5m", repeatInterval: "1h");
        Use(route);
        var alert = Firing("overheat", "t1");
        dispatcher.RestoreLog([new GroupLogEntry("ops:{}", "ops", [alert.Fingerprint], time.GetUtcNow().AddMinutes(-10))]);

        dispatcher.Receive(alert);
        time.Advance(TimeSpan.FromMinutes(45));
        Assert.Empty(Sent());

        time.Advance(TimeSpan.FromMinutes(10));
        Assert.Single(Sent());
    }

    [Fact]
    public void Alerts_of_a_route_that_disappeared_are_dropped_at_its_next_flush()
    {
        Use(Route("ops", groupWait: "30s"));
        dispatcher.Receive(Firing("overheat", "t1"));

        Use();
        time.Advance(TimeSpan.FromSeconds(30));

        Assert.Empty(Sent());
        Assert.Equal(0, dispatcher.GroupCount);
    }

    private void Use(params AlertRoute[] routes) => dispatcher.UpdateRoutes(RouteTable.Build(routes));

    private List<GroupNotification> Sent()
    {
        var sent = new List<GroupNotification>();
        while (dispatcher.Notifications.TryRead(out var notification))
        {
            sent.Add(notification);
        }

        return sent;
    }
}
