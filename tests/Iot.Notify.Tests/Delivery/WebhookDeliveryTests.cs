using System.Diagnostics.Metrics;
using System.Net.Http.Json;
using System.Text.Json;

using Iot.Notify.Alerts;
using Iot.Notify.Routes;
using Iot.Notify.Tests.Support;
using Iot.Storage.Events;

using Microsoft.Extensions.DependencyInjection;

using static Iot.Notify.Tests.Support.TestRoutes;

namespace Iot.Notify.Tests.Delivery;

[Collection(PostgresCollection.Name)]
public sealed class WebhookDeliveryTests(PostgresFixture postgres)
{
    private readonly ManualTimeProvider time = new();

    [Fact]
    public async Task A_webhook_answering_500_then_200_gets_the_notification_once_after_a_retry_with_both_attempts_recorded()
    {
        await using var target = await HttpTarget.StartAsync(500);
        var routes = new InMemoryRouteSource(Route("ops", groupWait: "0s", receivers: [Webhook("ops-hook", target.Url, tokenSecret: "hook")]));
        routes.SetSecret("hook", "token", "s3cret\n");
        await using var host = await StartAsync(routes);
        var deliveries = new List<(string Type, string Result)>();
        using var listener = ListenToDeliveries(host, deliveries);

        var alert = Firing("overheat", "thermo-1", "lab-1");
        await host.Services.GetRequiredService<AlertIntake>().HandleAsync(alert, CancellationToken.None);
        await Eventually.TrueAsync(() => target.Requests.Count == 1, "the first attempt reached the target");
        await AdvanceUntil(() => target.Requests.Count == 2, "the retry reached the target");

        var notification = await Eventually.ValueAsync(async () => (await host.Store.ListPendingAsync()).Count == 0 ? await Delivered(host) : null, "the notification is delivered");
        Assert.Equal(2, notification.Attempts);
        Assert.Equal([false, true], (await host.Store.ListAttemptsAsync(notification.Id)).Select(a => a.Succeeded));
        var accepted = Assert.Single(target.Accepted);
        Assert.Equal("Bearer s3cret", accepted.Authorization);
        using var body = JsonDocument.Parse(accepted.Body);
        Assert.Equal(notification.Id, body.RootElement.GetProperty("id").GetString());
        Assert.Equal("firing", body.RootElement.GetProperty("status").GetString());
        Assert.Equal(alert.Fingerprint, body.RootElement.GetProperty("alerts")[0].GetProperty("fingerprint").GetString());
        Assert.Equal("lab-1", body.RootElement.GetProperty("alerts")[0].GetProperty("labels").GetProperty("room").GetString());
        Assert.Equal(target.Requests.First().Body, accepted.Body); // the retry sends the same body
        listener.RecordObservableInstruments();
        Assert.Equal([("webhook", "delivered"), ("webhook", "retrying")], deliveries.Order());
    }

    [Fact]
    public async Task Alerts_of_one_group_are_notified_together_after_group_wait_and_their_resolution_after_group_interval()
    {
        await using var target = await HttpTarget.StartAsync();
        var routes = new InMemoryRouteSource(Route("ops", groupBy: ["room"], groupWait: "30s", groupInterval: "5m", receivers: [Webhook("ops-hook", target.Url)]));
        await using var host = await StartAsync(routes);
        var intake = host.Services.GetRequiredService<AlertIntake>();
        var first = Firing("overheat", "thermo-1", "lab-1");
        var second = Firing("overheat", "thermo-2", "lab-1");
        await intake.HandleAsync(first, CancellationToken.None);
        await intake.HandleAsync(second, CancellationToken.None);
        Assert.Equal(2, Gauge(host, "iot_notify_active_alerts"));

        time.Advance(TimeSpan.FromSeconds(30));
        await Eventually.TrueAsync(() => target.Accepted.Count() == 1, "the group is notified");
        using (var firing = JsonDocument.Parse(target.Accepted.Single().Body))
        {
            Assert.Equal("[FIRING:2] overheat (room=lab-1)", firing.RootElement.GetProperty("title").GetString());
            Assert.Equal(2, firing.RootElement.GetProperty("alerts").GetArrayLength());
        }

        await intake.HandleAsync(Resolved(first, time.GetUtcNow()), CancellationToken.None);
        await intake.HandleAsync(Resolved(second, time.GetUtcNow()), CancellationToken.None);
        time.Advance(TimeSpan.FromMinutes(5));
        await Eventually.TrueAsync(() => target.Accepted.Count() == 2, "the resolution is notified");
        using var resolved = JsonDocument.Parse(target.Accepted.Last().Body);
        Assert.Equal("resolved", resolved.RootElement.GetProperty("status").GetString());
        Assert.All(resolved.RootElement.GetProperty("alerts").EnumerateArray(), a => Assert.Equal("resolved", a.GetProperty("status").GetString()));
        Assert.Equal(0, Gauge(host, "iot_notify_active_alerts"));
        await Eventually.TrueAsync(() => Gauge(host, "iot_notify_outbox_depth") == 0, "the outbox is empty");
    }

    [Fact]
    public async Task A_target_down_past_the_retry_limit_is_failed_with_its_reason_visible_in_events()
    {
        var closed = $"http://127.0.0.1:{FreePort.Next()}/hook";
        var routes = new InMemoryRouteSource(Route("ops", groupWait: "0s", receivers: [Webhook("ops-hook", closed)]));
        await using var host = await StartAsync(routes);

        await host.Services.GetRequiredService<AlertIntake>().HandleAsync(Firing("overheat", "thermo-1"), CancellationToken.None);
        await AdvanceUntil(() => host.Store.QueryEventsAsync(new EventQuery { Type = "notification.failed" }).Result.Events.Count == 1, "the notification is given up on");

        var failed = (await host.Client.GetFromJsonAsync<JsonElement>("/events?type=notification.failed")).GetProperty("events");
        var message = Assert.Single(failed.EnumerateArray()).GetProperty("message").GetString();
        Assert.StartsWith("failed after 3 attempt(s) to webhook receiver ops-hook: " + closed, message, StringComparison.Ordinal);
        var retrying = (await host.Client.GetFromJsonAsync<JsonElement>("/events?type=notification.retrying")).GetProperty("events");
        Assert.Equal(2, retrying.GetArrayLength());
    }

    [Fact]
    public async Task A_delivery_interrupted_by_a_restart_is_completed_after_it()
    {
        await using var target = await HttpTarget.StartAsync(HttpTarget.Hang);
        var routes = new InMemoryRouteSource(Route("ops", groupWait: "0s", receivers: [Webhook("ops-hook", target.Url)]));
        var database = await postgres.Server.CreateDatabaseAsync("restart");
        await using (var first = await StartAsync(routes, database))
        {
            await first.Services.GetRequiredService<AlertIntake>().HandleAsync(Firing("overheat", "thermo-1"), CancellationToken.None);
            await Eventually.TrueAsync(() => target.Requests.Count == 1, "the attempt is in flight");
        }

        await using var second = await StartAsync(routes, database);

        await Eventually.TrueAsync(() => target.Accepted.Count() == 1, "the notification is delivered after the restart");
        var notification = await Eventually.ValueAsync(() => Delivered(second), "the delivery is recorded");
        Assert.Equal(1, notification.Attempts);
        Assert.Equal(target.Requests.First().Body, target.Accepted.Single().Body);
    }

    [Fact]
    public async Task A_retry_pending_when_notify_stops_is_made_after_it_starts_again()
    {
        await using var target = await HttpTarget.StartAsync(503);
        var routes = new InMemoryRouteSource(Route("ops", groupWait: "0s", receivers: [Webhook("ops-hook", target.Url)]));
        var database = await postgres.Server.CreateDatabaseAsync("pending");
        await using (var first = await StartAsync(routes, database))
        {
            await first.Services.GetRequiredService<AlertIntake>().HandleAsync(Firing("overheat", "thermo-1"), CancellationToken.None);
            await Eventually.ValueAsync(async () => (await first.Store.QueryEventsAsync(new EventQuery { Type = "notification.retrying" })).Events.FirstOrDefault(), "the first attempt failed");
        }

        await using var second = await StartAsync(routes, database);
        await AdvanceUntil(() => target.Accepted.Count() == 1, "the retry is made after the restart");

        var notification = await Eventually.ValueAsync(() => Delivered(second), "the delivery is recorded");
        Assert.Equal(2, notification.Attempts);
        Assert.Equal([false, true], (await second.Store.ListAttemptsAsync(notification.Id)).Select(a => a.Succeeded));
    }

    private async Task<NotifyHost> StartAsync(IRouteSource routes, string? database = null) =>
        await NotifyHost.StartAsync(routes, time, NotifyHost.Postgres(database ?? await postgres.Server.CreateDatabaseAsync("webhook")));

    private static async Task<NotificationRecord?> Delivered(NotifyHost host)
    {
        var delivered = (await host.Store.QueryEventsAsync(new EventQuery { Type = "notification.delivered" })).Events;
        return delivered.Count == 0 ? null : await host.Store.GetNotificationAsync(delivered[0].NotificationId!);
    }

    /// <summary>Moves the clock in steps of the smallest backoff until <paramref name="condition"/> holds.</summary>
    private async Task AdvanceUntil(Func<bool> condition, string because) =>
        await Eventually.TrueAsync(() =>
        {
            time.Advance(TimeSpan.FromMilliseconds(500));
            return condition();
        }, because);

    private static long Gauge(NotifyHost host, string name)
    {
        long value = -1;
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == host.Metrics.Meter && instrument.Name == name)
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((_, measurement, _, _) => value = measurement);
        listener.Start();
        listener.RecordObservableInstruments();
        return value;
    }

    private static MeterListener ListenToDeliveries(NotifyHost host, List<(string Type, string Result)> deliveries)
    {
        var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter == host.Metrics.Meter && instrument.Name == "iot_notify_deliveries_total")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            var values = tags.ToArray().ToDictionary(t => t.Key, t => (string)t.Value!);
            lock (deliveries)
            {
                deliveries.Add((values["receiver_type"], values["result"]));
            }
        });
        listener.Start();
        return listener;
    }
}
