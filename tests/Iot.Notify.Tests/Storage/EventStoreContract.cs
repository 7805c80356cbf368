using Iot.Storage.Events;

namespace Iot.Notify.Tests.Storage;

/// <summary>What every event store must do; run against PostgreSQL and SQLite.</summary>
public abstract class EventStoreContract : IAsyncLifetime
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 12, 0, 0, TimeSpan.Zero);

    protected IEventStore Store { get; private set; } = null!;

    protected abstract Task<IEventStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        Store = await CreateStoreAsync();
        await Store.MigrateAsync();
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task Migrations_are_versioned_and_applying_them_again_changes_nothing()
    {
        Assert.Equal(1, await Store.SchemaVersionAsync());

        await Store.MigrateAsync();

        Assert.Equal(1, await Store.SchemaVersionAsync());
    }

    [Fact]
    public async Task An_alert_is_saved_with_its_transition_and_read_back_whole()
    {
        var alert = Alert("a1", "firing");
        await Store.SaveAlertAsync(alert, Event("alert.firing", fingerprint: "a1"));

        var read = await Store.GetAlertAsync("a1");

        Assert.NotNull(read);
        Assert.Equal(alert.Labels, read.Labels);
        Assert.Equal(alert.Annotations, read.Annotations);
        Assert.Equal(alert with { Labels = read.Labels, Annotations = read.Annotations }, read);
        Assert.Equal("alert.firing", Assert.Single((await Store.QueryEventsAsync(new EventQuery())).Events).Type);
    }

    [Fact]
    public async Task Saving_an_alert_again_replaces_it_and_lists_filter_by_status_rule_and_device()
    {
        await Store.SaveAlertAsync(Alert("a1", "firing"), null);
        await Store.SaveAlertAsync(Alert("a2", "firing", device: "t2"), null);
        await Store.SaveAlertAsync(Alert("a1", "resolved") with { EndsAt = T0.AddMinutes(5) }, null);

        Assert.Equal(["a2"], (await Store.ListAlertsAsync(new AlertQuery { Status = "firing" })).Select(a => a.Fingerprint));
        Assert.Equal(["a1"], (await Store.ListAlertsAsync(new AlertQuery { Device = "t1" })).Select(a => a.Fingerprint));
        Assert.Equal(2, (await Store.ListAlertsAsync(new AlertQuery { Rule = "overheat" })).Count);
        Assert.Equal(T0.AddMinutes(5), (await Store.GetAlertAsync("a1"))!.EndsAt);
    }

    [Fact]
    public async Task Acknowledging_records_who_and_when_with_an_event_and_an_unknown_alert_is_false()
    {
        await Store.SaveAlertAsync(Alert("a1", "firing"), null);

        Assert.True(await Store.AcknowledgeAsync("a1", "alice", "on it", T0.AddMinutes(1)));
        Assert.False(await Store.AcknowledgeAsync("nope", "alice", null, T0));

        var alert = await Store.GetAlertAsync("a1");
        Assert.Equal(("alice", T0.AddMinutes(1), "on it"), (alert!.AcknowledgedBy, alert.AcknowledgedAt, alert.AcknowledgeComment));
        var ack = Assert.Single((await Store.QueryEventsAsync(new EventQuery { Type = "alert.acknowledged" })).Events);
        Assert.Equal(("t1", "overheat", "acknowledged by alice: on it"), (ack.Device, ack.Rule, ack.Message));
    }

    [Fact]
    public async Task An_acknowledgement_lasts_while_the_alert_keeps_its_start_and_ends_when_it_fires_anew()
    {
        await Store.SaveAlertAsync(Alert("a1", "firing"), null);
        await Store.AcknowledgeAsync("a1", "alice", null, T0.AddMinutes(1));

        await Store.SaveAlertAsync(Alert("a1", "firing") with { Value = 33 }, null);
        Assert.Equal("alice", (await Store.GetAlertAsync("a1"))!.AcknowledgedBy);

        await Store.SaveAlertAsync(Alert("a1", "firing") with { StartsAt = T0.AddHours(1) }, null);
        Assert.Null((await Store.GetAlertAsync("a1"))!.AcknowledgedBy);
    }

    [Fact]
    public async Task The_outbox_keeps_pending_notifications_and_records_each_attempt_with_its_outcome()
    {
        var notification = Notification("n1");
        await Store.EnqueueAsync(notification, Event("notification.queued", notification: "n1"));
        await Store.EnqueueAsync(Notification("n2") with { NextAttemptAt = T0.AddSeconds(-1) }, Event("notification.queued", notification: "n2"));
        Assert.Equal(["n2", "n1"], (await Store.ListPendingAsync()).Select(n => n.Id));

        var retry = notification with { Attempts = 1, NextAttemptAt = T0.AddSeconds(2), LastError = "answered 500" };
        await Store.RecordAttemptAsync(new DeliveryAttempt("n1", 1, T0, TimeSpan.FromMilliseconds(12.5), false, "answered 500"), retry, Event("notification.retrying", notification: "n1"));
        var delivered = retry with { Status = NotificationStatus.Delivered, Attempts = 2, CompletedAt = T0.AddSeconds(2) };
        await Store.RecordAttemptAsync(new DeliveryAttempt("n1", 2, T0.AddSeconds(2), TimeSpan.FromMilliseconds(3), true, null), delivered, Event("notification.delivered", notification: "n1"));

        Assert.Equal(delivered, await Store.GetNotificationAsync("n1"));
        Assert.Equal(["n2"], (await Store.ListPendingAsync()).Select(n => n.Id));
        Assert.Equal(1, await Store.CountPendingAsync());
        var attempts = await Store.ListAttemptsAsync("n1");
        Assert.Equal([(1, false, "answered 500"), (2, true, null)], attempts.Select(a => (a.Attempt, a.Succeeded, a.Error)));
        Assert.Equal(12.5, attempts[0].Duration.TotalMilliseconds);
        Assert.Equal(["notification.delivered", "notification.retrying", "notification.queued"],
            (await Store.QueryEventsAsync(new EventQuery { NotificationId = "n1" })).Events.Select(e => e.Type));
    }

    [Fact]
    public async Task Events_are_paged_newest_first_and_filtered_by_time_type_prefix_device_and_rule()
    {
        for (var i = 0; i < 5; i++)
        {
            await Store.AppendEventAsync(Event(i % 2 == 0 ? "alert.firing" : "notification.delivered", at: T0.AddMinutes(i), device: $"t{i % 2}"));
        }

        var first = await Store.QueryEventsAsync(new EventQuery { Limit = 2 });
        var second = await Store.QueryEventsAsync(new EventQuery { Limit = 2, Before = first.Next });
        var last = await Store.QueryEventsAsync(new EventQuery { Limit = 2, Before = second.Next });
        Assert.Equal([T0.AddMinutes(4), T0.AddMinutes(3)], first.Events.Select(e => e.At));
        Assert.Equal([T0.AddMinutes(2), T0.AddMinutes(1)], second.Events.Select(e => e.At));
        Assert.Equal([T0], last.Events.Select(e => e.At));
        Assert.Null(last.Next);

        Assert.Equal(2, (await Store.QueryEventsAsync(new EventQuery { Type = "notification." })).Events.Count);
        Assert.Equal(3, (await Store.QueryEventsAsync(new EventQuery { Device = "t0" })).Events.Count);
        Assert.Equal(2, (await Store.QueryEventsAsync(new EventQuery { From = T0.AddMinutes(1), To = T0.AddMinutes(3) })).Events.Count);
        Assert.Equal(5, (await Store.QueryEventsAsync(new EventQuery { Rule = "overheat" })).Events.Count);
    }

    [Fact]
    public async Task A_silence_lasts_until_it_ends_or_is_expired_once()
    {
        var silence = new SilenceRecord { Id = "s1", Matchers = ["device=\"t1\""], StartsAt = T0, EndsAt = T0.AddHours(1), CreatedBy = "alice", Comment = "maintenance", CreatedAt = T0 };
        await Store.AddSilenceAsync(silence, Event("silence.created"));

        Assert.Equal(silence, Assert.Single(await Store.ListSilencesAsync(T0.AddMinutes(30))) with { Matchers = silence.Matchers });
        Assert.Empty(await Store.ListSilencesAsync(T0.AddHours(1)));

        Assert.True(await Store.ExpireSilenceAsync("s1", T0.AddMinutes(10), Event("silence.expired")));
        Assert.False(await Store.ExpireSilenceAsync("s1", T0.AddMinutes(20), Event("silence.expired")));
        Assert.Empty(await Store.ListSilencesAsync(T0.AddMinutes(15)));
    }

    [Fact]
    public async Task The_notification_log_keeps_one_entry_per_group()
    {
        await Store.SaveGroupLogAsync(new GroupLogEntry("ops:{}", "ops", ["a1"], T0));
        await Store.SaveGroupLogAsync(new GroupLogEntry("ops:{}", "ops", ["a1", "a2"], T0.AddMinutes(5)));
        await Store.SaveGroupLogAsync(new GroupLogEntry("dev:{}", "dev", ["a3"], T0));
        await Store.DeleteGroupLogAsync("dev:{}");

        var entry = Assert.Single(await Store.ListGroupLogsAsync());
        Assert.Equal(("ops:{}", T0.AddMinutes(5)), (entry.GroupKey, entry.SentAt));
        Assert.Equal(["a1", "a2"], entry.Firing);
    }

    private static StoredAlert Alert(string fingerprint, string status, string device = "t1") => new()
    {
        Fingerprint = fingerprint,
        Namespace = "building-a",
        Rule = "overheat",
        Device = device,
        Room = "lab-1",
        Status = status,
        Labels = new Dictionary<string, string> { ["severity"] = "critical", ["device"] = device },
        Annotations = new Dictionary<string, string> { ["summary"] = "hot \"lab\"" },
        Value = 31.5,
        StartsAt = T0,
        UpdatedAt = T0,
    };

    private static NotificationRecord Notification(string id) => new()
    {
        Id = id,
        CreatedAt = T0,
        Route = "ops",
        Receiver = "hook",
        ReceiverType = "webhook",
        ReceiverSpec = "{\"name\":\"hook\"}",
        GroupKey = "ops:{}",
        Payload = "{\"title\":\"x\"}",
        NextAttemptAt = T0,
    };

    private static EventRecord Event(string type, DateTimeOffset? at = null, string? fingerprint = null, string? notification = null, string? device = "t1") => new()
    {
        At = at ?? T0,
        Type = type,
        Fingerprint = fingerprint,
        Rule = "overheat",
        Device = device,
        NotificationId = notification,
        Message = type,
    };
}
