using Iot.Broker.Registry;

using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Iot.Broker;

/// <summary>Ready when the broker listens and its device registry holds a complete view (else every device would be refused).</summary>
public sealed class BrokerReadinessCheck(MqttBroker broker, IDeviceRegistry registry) : IHealthCheck
{
    /// <inheritdoc />
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult((broker.IsListening, registry.IsSynced) switch
        {
            (true, true) => HealthCheckResult.Healthy(),
            (false, _) => HealthCheckResult.Unhealthy("the broker is not listening"),
            _ => HealthCheckResult.Unhealthy("the device registry has not synced yet"),
        });
}
