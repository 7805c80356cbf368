using Iot.Ingest.Devices;
using Iot.Ingest.Mqtt;

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Iot.Ingest.Hosting;

/// <summary>
/// Ready when the Devices, EdgeRules and Secrets are listed, the time-series store is open (for InfluxDB: it answered a
/// ping once; later outages are spooled, not a reason to stop taking telemetry) and the telemetry subscription is up.
/// </summary>
internal sealed class IngestReadiness(KubernetesInventory inventory, IngestMqttConnection mqtt) : IHealthCheck
{
    private volatile bool storeReady;

    /// <summary>Set once the store is open (and InfluxDB answered).</summary>
    public bool StoreReady
    {
        get => storeReady;
        set => storeReady = value;
    }

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = new List<string>();
        if (!inventory.HasSynced)
        {
            waiting.Add("Devices, EdgeRules and Secrets are not listed yet");
        }

        if (!StoreReady)
        {
            waiting.Add("the time-series store is not reachable yet");
        }

        if (!mqtt.IsSubscribed)
        {
            waiting.Add($"not subscribed to {mqtt.TelemetryFilter} yet");
        }

        return Task.FromResult(waiting.Count == 0
            ? HealthCheckResult.Healthy("inventory synced, store open, telemetry subscribed")
            : HealthCheckResult.Unhealthy(string.Join("; ", waiting)));
    }
}
