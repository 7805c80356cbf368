using Iot.Notify.Mqtt;
using Iot.Notify.Routes;

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Iot.Notify.Hosting;

/// <summary>Ready when the store is migrated, the routes are synced and (if a broker is configured) the alert subscription is up.</summary>
public sealed class NotifyReadiness(IRouteSource routes, MqttConnection mqtt) : IHealthCheck
{
    private volatile bool storeReady;

    /// <summary>Set once the store's migrations are applied and notify's state is loaded from it.</summary>
    public bool StoreReady
    {
        get => storeReady;
        set => storeReady = value;
    }

    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var waiting = new List<string>();
        if (!StoreReady)
        {
            waiting.Add("the event store is not migrated yet");
        }

        if (!routes.HasSynced)
        {
            waiting.Add("the AlertRoutes are not synced yet");
        }

        if (mqtt.Enabled && !mqtt.IsConnected)
        {
            waiting.Add("not connected to the broker");
        }

        return Task.FromResult(waiting.Count == 0 ? HealthCheckResult.Healthy("store migrated, routes synced, broker connected") : HealthCheckResult.Unhealthy(string.Join("; ", waiting)));
    }
}
