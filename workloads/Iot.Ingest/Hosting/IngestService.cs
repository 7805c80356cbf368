using Iot.Ingest.Actions;
using Iot.Ingest.Devices;
using Iot.Ingest.Mqtt;
using Iot.Ingest.Rejections;
using Iot.Ingest.Status;
using Iot.Ingest.Telemetry;
using Iot.Rules;
using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Ingest.Hosting;

/// <summary>
/// Runs ingest: lists and watches the namespace's Devices, EdgeRules and Secrets, and once they are listed starts the
/// rule engine's loop, the intake processor, the action and rejection publishers, the lastFired status writer and the
/// broker connection (telemetry is only taken once ingest knows the Devices, or every message would be an unknown
/// device). If one of these loops fails, ingest stops rather than run half-working.
/// </summary>
internal sealed partial class IngestService(
    KubernetesInventory inventory,
    RuleEngine engine,
    RuleQueue ruleQueue,
    IntakeProcessor intake,
    ActionPublisher actions,
    RejectionPublisher rejections,
    RuleStatusReporter status,
    IngestMqttConnection mqtt,
    IngestReadiness readiness,
    IServiceProvider services,
    IOptions<IngestOptions> options,
    TimeProvider time,
    ILogger<IngestService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var loops = new List<Task> { inventory.RunAsync(stoppingToken), OpenStoreAsync(stoppingToken) };
        try
        {
            await inventory.WaitForSyncAsync(stoppingToken);
            LogSynced(options.Value.Namespace);
            loops.AddRange(
            [
                engine.RunAsync(ruleQueue.Reader, options.Value.RuleTickInterval, stoppingToken),
                intake.RunAsync(stoppingToken),
                actions.RunAsync(stoppingToken),
                rejections.RunAsync(stoppingToken),
                status.RunAsync(stoppingToken),
                mqtt.RunAsync(stoppingToken),
            ]);
            while (loops.Count > 0)
            {
                var done = await Task.WhenAny(loops);
                loops.Remove(done);
                await done;
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogFailed(e);
            throw;
        }
        finally
        {
            // Unacknowledged telemetry stays in the broker's session for the next start.
            await mqtt.DisconnectAsync();
        }
    }

    // Opening the store (SQLite: the file and its schema; InfluxDB: the writer and its spool) happens on first use; do it
    // now, and for InfluxDB wait for one answer to a ping so that readiness says whether it is there at all.
    private async Task OpenStoreAsync(CancellationToken cancellationToken)
    {
        services.GetRequiredService<ITimeSeriesStore>();
        if (services.GetService<InfluxClient>() is { } influx)
        {
            var retry = TimeSpan.FromMilliseconds(200);
            while (!await influx.PingAsync(cancellationToken))
            {
                LogInfluxUnreachable(influx.Options.Url, retry);
                await Task.Delay(retry, time, cancellationToken);
                retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }

        readiness.StoreReady = true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Devices, EdgeRules and Secrets of {Namespace} are listed; taking telemetry")]
    private partial void LogSynced(string @namespace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "InfluxDB at {Url} does not answer yet; pinging again in {Retry}")]
    private partial void LogInfluxUnreachable(Uri url, TimeSpan retry);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Ingest stopped: one of its loops failed")]
    private partial void LogFailed(Exception exception);
}
