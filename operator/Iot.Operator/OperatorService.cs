using Iot.Hosting;

using k8s;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Iot.Operator;

/// <summary>Runs an <see cref="OperatorHost"/> as the process's hosted service.</summary>
public sealed class OperatorService(OperatorHost host) : BackgroundService
{
    /// <summary>Registers the operator for <paramref name="client"/>: the hosted service, /readyz (caches synced) and /healthz (watches alive).</summary>
    public static IServiceCollection Add(IServiceCollection services, IKubernetes client, OperatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddSingleton(sp => new OperatorHost(client, options, TimeProvider.System, sp.GetRequiredService<ILoggerFactory>()));
        services.AddHostedService<OperatorService>();
        services.AddHealthChecks()
            .AddCondition<OperatorHost>("caches", h => h.HasSynced, h => "not synced: " + string.Join(", ", h.Controllers.Where(c => !c.HasSynced).Select(c => c.Name)), readiness: true)
            .AddCondition<OperatorHost>("watches", h => h.WatchesAlive, h => "watch down too long: " + string.Join(", ", h.Controllers.Where(c => !c.WatchesAlive).Select(c => c.Name)), readiness: false);
        return services;
    }

    /// <inheritdoc />
    protected override Task ExecuteAsync(CancellationToken stoppingToken) => host.RunAsync(stoppingToken);
}
