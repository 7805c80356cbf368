using Iot.Notify.Alerts;
using Iot.Notify.Delivery;
using Iot.Notify.Grouping;
using Iot.Notify.Hosting;
using Iot.Notify.Mqtt;
using Iot.Notify.Routes;
using Iot.Notify.Streaming;
using Iot.Storage.Events;

using k8s;

using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Iot.Notify;

/// <summary>Registers the notify workload.</summary>
public static class NotifyServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="NotifyOptions"/> from section <c>Notify</c> (validated at start), and registers the event store,
    /// the route source (AlertRoutes of the namespace from Kubernetes, unless an <see cref="IRouteSource"/> is registered
    /// first), routing, the outbox and its senders, the MQTT connection, the hosted <see cref="NotifyService"/> and the
    /// readiness check <c>notify</c> (tag <c>ready</c>). Map the API with <c>MapIotNotify</c>.
    /// </summary>
    public static IServiceCollection AddIotNotify(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<NotifyOptions>().Bind(configuration.GetSection(NotifyOptions.Section)).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<NotifyOptions>, NotifyOptionsValidation>());
        services.TryAddSingleton(TimeProvider.System);
        services.AddMetrics();
        services.AddHttpClient(WebhookSender.HttpClientName);
        services.AddProblemDetails();
        services.TryAddSingleton<IEventStore>(sp =>
        {
            var store = sp.GetRequiredService<IOptions<NotifyOptions>>().Value.Store;
            return store.Provider == "postgres" ? new PostgresEventStore(store.ConnectionString!) : new SqliteEventStore(store.Path);
        });
        services.TryAddSingleton<IKubernetes>(sp =>
        {
            var kubeconfig = sp.GetRequiredService<IOptions<NotifyOptions>>().Value.Kubeconfig;
            var config = kubeconfig is null && KubernetesClientConfiguration.IsInCluster()
                ? KubernetesClientConfiguration.InClusterConfig()
                : KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig);
            return new Kubernetes(config);
        });
        services.TryAddSingleton<IRouteSource>(sp => new KubernetesRouteSource(
            sp.GetRequiredService<IKubernetes>(),
            sp.GetRequiredService<IOptions<NotifyOptions>>().Value.Namespace,
            sp.GetRequiredService<ILogger<KubernetesRouteSource>>()));
        services.TryAddSingleton<NotifyMetrics>();
        services.TryAddSingleton<AlertDispatcher>();
        services.TryAddSingleton<AlertStream>();
        services.TryAddSingleton<AlertIntake>();
        services.TryAddSingleton<Outbox>();
        services.TryAddSingleton<DeliveryWorker>();
        services.TryAddSingleton<MqttConnection>();
        services.TryAddSingleton<NotifyReadiness>();
        services.TryAddSingleton<EmailSender>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationSender, WebhookSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationSender, SlackSender>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationSender, EmailSender>(sp => sp.GetRequiredService<EmailSender>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<INotificationSender, MqttSender>());
        services.TryAddSingleton<NotifyService>();
        services.AddHostedService(sp => sp.GetRequiredService<NotifyService>());
        services.AddHealthChecks().AddCheck<NotifyReadiness>("notify", tags: ["ready"]);
        return services;
    }
}
