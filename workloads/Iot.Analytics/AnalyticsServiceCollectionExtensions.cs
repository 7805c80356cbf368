using Iot.Analytics.Alerts;
using Iot.Analytics.History;
using Iot.Analytics.Http;
using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Analytics.Rejections;
using Iot.Analytics.Reports;
using Iot.Storage.Events;
using Iot.Storage.TimeSeries;

using k8s;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

using Npgsql;

namespace Iot.Analytics;

/// <summary>Registers the analytics workload.</summary>
public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>The name of the readiness check.</summary>
    public const string ReadinessCheck = "analytics";

    /// <summary>
    /// Registers analytics: <see cref="AnalyticsOptions"/> from section <c>Analytics</c> (validated at start-up), the
    /// time-series store from section <c>TimeSeries</c>, the Device and Room inventory (kept from the Kubernetes API with
    /// the registered <see cref="IKubernetes"/>, else one from the in-cluster or kubeconfig settings), the MQTT connection
    /// feeding live metrics, rejections and alert counts, the report store (PostgreSQL at <c>Analytics:Reports:Postgres</c>,
    /// else SQLite at <c>Analytics:Reports:SqlitePath</c>; its schema migrated at start-up), the OpenAPI document, and a readiness check
    /// tagged <c>ready</c>. Services registered before this call (an <see cref="IRejectionSource"/>, an
    /// <see cref="IActiveAlertSource"/>, a <see cref="IReportStore"/>, a <see cref="TimeProvider"/>) are kept.
    /// </summary>
    public static IServiceCollection AddIotAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration.GetSection(AnalyticsOptions.Section);
        var settings = section.Get<AnalyticsOptions>() ?? new AnalyticsOptions();
        services.AddOptions<AnalyticsOptions>().Bind(section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<AnalyticsOptions>, AnalyticsOptionsValidation>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddIotTimeSeriesStore(configuration);

        services.TryAddSingleton<AnalyticsMetrics>();
        services.TryAddSingleton<DeviceInventory>();
        services.TryAddSingleton<LiveTelemetry>();
        services.TryAddSingleton<LiveRoomMetrics>();
        services.TryAddSingleton<HistoryReader>();
        services.TryAddSingleton<BearerTokenFilter>();
        services.TryAddSingleton<StoreFailureFilter>();

        if (settings.WatchKubernetes)
        {
            services.TryAddSingleton<IKubernetes>(_ => new Kubernetes(KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile()));
            services.AddHostedService(provider => new KubernetesInventorySource(
                provider.GetRequiredService<IKubernetes>(),
                provider.GetRequiredService<IOptions<AnalyticsOptions>>().Value.Namespace,
                provider.GetRequiredService<DeviceInventory>(),
                provider.GetRequiredService<TimeProvider>(),
                provider.GetRequiredService<ILogger<KubernetesInventorySource>>()));
        }
        else
        {
            services.AddHostedService(provider => new SyncedInventory(provider.GetRequiredService<DeviceInventory>()));
        }

        services.TryAddSingleton<TelemetrySubscription>();
        services.AddSingleton<IMqttMessageHandler>(provider => provider.GetRequiredService<TelemetrySubscription>());
        services.TryAddSingleton<IRejectionSource>(provider => settings.Mqtt.Enabled ? new MqttRejectionSource() : new NoRejectionSource());
        switch (settings.Alerts.Source)
        {
            case "events":
                services.TryAddSingleton<IActiveAlertSource>(provider => new EventStoreAlertSource(
                    provider.GetService<IEventStore>() ?? EventStoreOf(settings.Alerts),
                    provider.GetRequiredService<IOptions<AnalyticsOptions>>()));
                break;
            case "mqtt" when settings.Mqtt.Enabled:
                services.TryAddSingleton<IActiveAlertSource, MqttActiveAlertSource>();
                break;
            default:
                services.TryAddSingleton<IActiveAlertSource, NoActiveAlertSource>();
                break;
        }

        if (settings.Reports.Postgres is { Length: > 0 } postgres)
        {
            services.TryAddSingleton<IReportStore>(_ => new PostgresReportStore(NpgsqlDataSource.Create(postgres)));
        }
        else
        {
            services.TryAddSingleton<IReportStore>(_ => new SqliteReportStore(settings.Reports.SqlitePath));
        }

        services.TryAddSingleton<ReportBuilder>();
        services.AddHostedService<ReportStoreMigration>();

        services.TryAddSingleton<AnalyticsMqttConnection>();
        services.AddHostedService(provider => provider.GetRequiredService<AnalyticsMqttConnection>());

        services.AddProblemDetails();
        services.AddOpenApi(OpenApiDocument.Configure);
        services.AddHealthChecks().AddCheck<AnalyticsReadinessCheck>(ReadinessCheck, tags: ["ready"]);
        return services;
    }

    // Notify's store, read only: notify applies its migrations.
    private static IEventStore EventStoreOf(AlertSourceOptions alerts) =>
        alerts.Postgres is { Length: > 0 } postgres ? new PostgresEventStore(postgres)
        : alerts.SqlitePath is { Length: > 0 } path ? new SqliteEventStore(path)
        : throw new InvalidOperationException("Analytics:Alerts:Source is events but no event store is registered and neither Analytics:Alerts:Postgres nor Analytics:Alerts:SqlitePath is set.");

    // With no Kubernetes watch, the embedder fills the inventory: it is complete from the start.
    private sealed class SyncedInventory(DeviceInventory inventory) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            inventory.MarkSynced();
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
