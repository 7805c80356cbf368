using System.Diagnostics.Metrics;

using Iot.Broker.Metrics;
using Iot.Broker.Registry;
using Iot.Broker.Status;

using k8s;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Broker;

/// <summary>Registers the broker workload (hosting contract: <c>AddIot&lt;Component&gt;</c>).</summary>
public static class BrokerServiceCollectionExtensions
{
    /// <summary>
    /// Adds the broker: <see cref="BrokerOptions"/> from section <c>Broker</c> (validated at start), its device registry
    /// (Kubernetes: the Devices and Secrets of <see cref="BrokerOptions.Namespace"/>; Memory: an
    /// <see cref="InMemoryDeviceRegistry"/> the host fills), the hosted service and the readiness check <c>broker</c>.
    /// </summary>
    public static IServiceCollection AddIotBroker(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<BrokerOptions>()
            .Bind(configuration.GetSection(BrokerOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.InternalPassword is not null || o.InternalPasswordHash is not null, "Broker:InternalPassword or Broker:InternalPasswordHash is required (Secret iot-internal-credentials)")
            .Validate(o => o.Registry != DeviceRegistryMode.Kubernetes || !string.IsNullOrEmpty(o.Namespace), "Broker:Namespace is required with the Kubernetes registry")
            .Validate(o => o.TlsCertificatePath is null || o.TlsKeyPath is not null, "Broker:TlsKeyPath is required with Broker:TlsCertificatePath")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IKubernetes>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            return new Kubernetes(options.Kubeconfig is { } path
                ? KubernetesClientConfiguration.BuildConfigFromConfigFile(path)
                : KubernetesClientConfiguration.InClusterConfig());
        });
        services.TryAddSingleton<InMemoryDeviceRegistry>();
        services.TryAddSingleton<IDeviceRegistry>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            if (options.Registry == DeviceRegistryMode.Memory)
            {
                return sp.GetRequiredService<InMemoryDeviceRegistry>();
            }

            var logger = sp.GetRequiredService<ILogger<KubernetesDeviceRegistry>>();
            return new KubernetesDeviceRegistry(sp.GetRequiredService<IKubernetes>(), options.Namespace!, logger);
        });
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            var sink = sp.GetService<IConnectionStatusSink>()
                ?? (options.Registry == DeviceRegistryMode.Kubernetes ? new KubernetesConnectionStatusSink(sp.GetRequiredService<IKubernetes>(), options.Namespace!) : null);
            var meter = sp.GetService<IMeterFactory>()?.Create(BrokerMetrics.MeterName) ?? new Meter(BrokerMetrics.MeterName);
            return new MqttBroker(options, sp.GetRequiredService<IDeviceRegistry>(), sink, meter, sp.GetRequiredService<ILogger<MqttBroker>>(), sp.GetRequiredService<TimeProvider>());
        });
        services.AddHostedService<BrokerService>();
        services.AddHealthChecks().AddCheck<BrokerReadinessCheck>("broker", tags: ["ready"]);
        return services;
    }
}
