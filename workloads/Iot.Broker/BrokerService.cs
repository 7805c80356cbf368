using Iot.Broker.Registry;

using Microsoft.Extensions.Hosting;

namespace Iot.Broker;

/// <summary>Runs the broker in a host: fills the registry (Kubernetes mode), starts listening, and stops cleanly.</summary>
public sealed class BrokerService(MqttBroker broker, IDeviceRegistry registry) : BackgroundService
{
    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var watching = registry is KubernetesDeviceRegistry kubernetes ? kubernetes.RunAsync(stoppingToken) : Task.CompletedTask;
        await broker.StartAsync(stoppingToken).ConfigureAwait(false);
        try
        {
            await Task.Delay(Timeout.Infinite, stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }

        await broker.StopAsync().ConfigureAwait(false);
        await watching.ConfigureAwait(false);
    }
}
