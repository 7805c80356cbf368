using System.Diagnostics.Metrics;

using Iot.Ingest.Actions;
using Iot.Ingest.Devices;
using Iot.Ingest.Hosting;
using Iot.Ingest.Http;
using Iot.Ingest.Mqtt;
using Iot.Ingest.Rejections;
using Iot.Ingest.Status;
using Iot.Ingest.Telemetry;
using Iot.Rules;
using Iot.Rules.Metrics;
using Iot.Storage.TimeSeries;

using k8s;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Iot.Ingest;

/// <summary>Registers the ingest workload.</summary>
public static class IngestServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="IngestOptions"/> from section <c>Ingest</c> (validated at start) and registers the time-series
    /// store (section <c>TimeSeries</c>, see <see cref="TimeSeriesServiceCollectionExtensions.AddIotTimeSeriesStore"/>),
    /// the Kubernetes client (unless an <see cref="IKubernetes"/> is registered first: in cluster, else
    /// <c>Ingest:Kubeconfig</c> or the default kubeconfig), the rule engine, the broker connection, the hosted ingest
    /// service, <see cref="IRejectionLog"/> and <see cref="IDeviceLastSeen"/>, and the readiness check <c>ingest</c>
    /// (tag <c>ready</c>). Uses the registered <see cref="TimeProvider"/>, or the system clock. Map the HTTP API with
    /// <see cref="IngestEndpointRouteBuilderExtensions.MapIotIngest"/>.
    /// </summary>
    public static IServiceCollection AddIotIngest(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<IngestOptions>().Bind(configuration.GetSection(IngestOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IngestOptions>, IngestOptionsValidation>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddIotTimeSeriesStore(configuration);
        services.TryAddSingleton<IKubernetes>(sp =>
        {
            var kubeconfig = sp.GetRequiredService<IOptions<IngestOptions>>().Value.Kubeconfig;
            return new Kubernetes(kubeconfig is null && KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        });

        services.TryAddSingleton<DeviceCatalog>();
        services.TryAddSingleton<DeviceLastSeen>();
        services.TryAddSingleton<IDeviceLastSeen>(sp => sp.GetRequiredService<DeviceLastSeen>());
        services.TryAddSingleton<RejectionLog>();
        services.TryAddSingleton<IRejectionLog>(sp => sp.GetRequiredService<RejectionLog>());
        services.TryAddSingleton(sp => new TelemetryIntake(sp.GetRequiredService<IOptions<IngestOptions>>().Value.IntakeCapacity));
        services.TryAddSingleton(sp => new RuleQueue(sp.GetRequiredService<IOptions<IngestOptions>>().Value.RuleQueueCapacity));
        services.TryAddSingleton<IngestMetrics>();
        services.TryAddSingleton<TelemetryPipeline>();
        services.TryAddSingleton<IngestMqttConnection>();
        services.TryAddSingleton<IntakeProcessor>();
        services.TryAddSingleton<MqttActionSink>();
        services.TryAddSingleton(sp => new RuleMetrics(sp.GetRequiredService<IMeterFactory>()));
        services.TryAddSingleton(sp => new RuleEngine(
            sp.GetRequiredService<MqttActionSink>(),
            sp.GetRequiredService<TimeProvider>(),
            new RuleEngineOptions { Namespace = sp.GetRequiredService<IOptions<IngestOptions>>().Value.Namespace },
            sp.GetRequiredService<RuleMetrics>()));
        services.TryAddSingleton<ActionPublisher>();
        services.TryAddSingleton<RejectionPublisher>();
        services.TryAddSingleton<RuleStatusReporter>();
        services.TryAddSingleton<KubernetesInventory>();
        services.TryAddSingleton<DeviceAuthenticator>();
        services.TryAddSingleton<IngestReadiness>();
        services.TryAddSingleton<IngestService>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestService>());
        services.AddHealthChecks().AddCheck<IngestReadiness>("ingest", tags: ["ready"]);
        return services;
    }
}
