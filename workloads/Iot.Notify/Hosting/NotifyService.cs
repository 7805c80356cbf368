using Iot.Api.AlertRoutes;
using Iot.Api.Alerts;
using Iot.Notify.Alerts;
using Iot.Notify.Delivery;
using Iot.Notify.Grouping;
using Iot.Notify.Mqtt;
using Iot.Notify.Routes;
using Iot.Notify.Routing;
using Iot.Storage.Events;

using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Iot.Notify.Hosting;

/// <summary>
/// Starts notify in the order that loses nothing: migrate the store; restore silences, the notification log and the
/// firing alerts; sync the routes; resume the outbox; only then subscribe to alerts.
/// </summary>
public sealed partial class NotifyService(
    IEventStore store,
    IRouteSource routes,
    AlertDispatcher dispatcher,
    AlertIntake intake,
    Outbox outbox,
    DeliveryWorker worker,
    MqttConnection mqtt,
    NotifyReadiness readiness,
    NotifyMetrics metrics,
    TimeProvider time,
    ILogger<NotifyService> logger) : BackgroundService
{
    /// <summary>Completes when notify has started (state restored, routes synced, outbox running).</summary>
    public Task Started => started.Task;

    private readonly TaskCompletionSource started = new(TaskCreationOptions.RunContinuationsAsynchronously);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // The store may not be up yet (a database starting beside notify): keep trying, not ready meanwhile.
        for (var backoff = TimeSpan.FromSeconds(1); ; backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await store.MigrateAsync(stoppingToken).ConfigureAwait(false);
                dispatcher.RestoreLog(await store.ListGroupLogsAsync(stoppingToken).ConfigureAwait(false));
                dispatcher.SetSilences((await store.ListSilencesAsync(time.GetUtcNow(), stoppingToken).ConfigureAwait(false)).Select(ToSilence));
                break;
            }
            catch (Exception e) when (e is System.Data.Common.DbException or TimeoutException or IOException)
            {
                LogStoreUnavailable(e, backoff);
                await Task.Delay(backoff, time, stoppingToken).ConfigureAwait(false);
            }
        }

        readiness.StoreReady = true;
        metrics.ObserveActiveAlerts(() => dispatcher.ActiveAlerts);

        routes.Changed += UpdateRoutes;
        var watching = routes.RunAsync(stoppingToken);
        await routes.WaitForSyncAsync(stoppingToken).ConfigureAwait(false);
        UpdateRoutes();

        foreach (var alert in await store.ListAlertsAsync(new AlertQuery { Status = "firing", Limit = 100_000 }, stoppingToken).ConfigureAwait(false))
        {
            dispatcher.Receive(ToEvent(alert));
            if (alert.AcknowledgedAt is not null)
            {
                dispatcher.Acknowledge(alert.Fingerprint);
            }
        }

        var outboxRun = outbox.RunAsync(dispatcher.Notifications, stoppingToken);
        var delivering = worker.RunAsync(stoppingToken);
        started.TrySetResult();
        var subscribed = mqtt.RunAsync(intake.HandleMessageAsync, stoppingToken);
        try
        {
            await Task.WhenAll(watching, outboxRun, delivering, subscribed).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            routes.Changed -= UpdateRoutes;
        }
    }

    /// <summary>A stored silence with its matchers parsed.</summary>
    public static Silence ToSilence(SilenceRecord record) => new(record.Id, [.. record.Matchers.Select(Matcher.Parse)], record.StartsAt, record.EndsAt);

    private static AlertEvent ToEvent(StoredAlert alert) => new()
    {
        Fingerprint = alert.Fingerprint,
        Status = alert.Status == "firing" ? AlertStatus.Firing : AlertStatus.Resolved,
        Namespace = alert.Namespace,
        Rule = alert.Rule,
        Device = alert.Device,
        Room = alert.Room,
        Labels = alert.Labels,
        Annotations = alert.Annotations,
        Value = alert.Value,
        StartsAt = alert.StartsAt,
        EndsAt = alert.EndsAt,
    };

    private void UpdateRoutes()
    {
        var table = RouteTable.Build(routes.Routes);
        foreach (var error in table.Errors)
        {
            LogRouteError(error);
        }

        dispatcher.UpdateRoutes(table);
        LogRoutes(table.Routes.Count);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The event store is unavailable; retrying in {Backoff}")]
    private partial void LogStoreUnavailable(Exception exception, TimeSpan backoff);

    [LoggerMessage(Level = LogLevel.Warning, Message = "AlertRoute left out: {Error}")]
    private partial void LogRouteError(string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Routing with {Count} AlertRoute(s)")]
    private partial void LogRoutes(int count);
}
