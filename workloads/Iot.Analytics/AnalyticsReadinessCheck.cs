using Iot.Analytics.Inventory;
using Iot.Analytics.Live;

using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace Iot.Analytics;

/// <summary>Ready when the inventory of Devices and Rooms is synced and (with live data on) the MQTT connection is up.</summary>
internal sealed class AnalyticsReadinessCheck(DeviceInventory inventory, AnalyticsMqttConnection mqtt, IOptions<AnalyticsOptions> options) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        if (!inventory.IsSynced)
        {
            problems.Add("the Devices and Rooms of the namespace are not listed yet");
        }

        if (options.Value.Mqtt.Enabled && !mqtt.IsConnected)
        {
            problems.Add($"not connected to the broker at {options.Value.Mqtt.Host}:{options.Value.Mqtt.Port}");
        }

        return Task.FromResult(problems.Count == 0 ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(string.Join("; ", problems)));
    }
}
