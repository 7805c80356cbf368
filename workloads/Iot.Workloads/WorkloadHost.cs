using Iot.Analytics;
using Iot.Broker;
using Iot.Hosting;
using Iot.Ingest;
using Iot.Notify;

using k8s;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration.Memory;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Iot.Workloads;

/// <summary>
/// Builds the host of one or more components: their services from the mapped configuration, the APIs on the HTTP port
/// and <c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c> on the management port (as the operator's probes expect).
/// The executable and dev mode's in-process runner both start components through this.
/// </summary>
public static class WorkloadHost
{
    /// <summary>Builds (does not start) the host described by <paramref name="launch"/>.</summary>
    /// <exception cref="InvalidOperationException">The environment is incomplete (see <see cref="WorkloadSettings"/>).</exception>
    public static WebApplication Build(WorkloadLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(launch);
        var components = launch.Components;
        var settings = WorkloadSettings.FromEnvironment(launch.Environment, [.. components], launch.DataDirectory);
        foreach (var (key, value) in launch.Overrides)
        {
            settings[key] = value;
        }

        Directory.CreateDirectory(launch.DataDirectory);
        var builder = IotHost.CreateBuilder([]);

        // The mapped contract goes under the IOT_ variables, so that IOT_Ingest__BatchSize and the like still override it.
        var environment = builder.Configuration.Sources.ToList().FindIndex(s => s is Microsoft.Extensions.Configuration.EnvironmentVariables.EnvironmentVariablesConfigurationSource);
        builder.Configuration.Sources.Insert(Math.Max(environment, 0), new MemoryConfigurationSource { InitialData = settings });

        var hasApi = components.Any(c => c != WorkloadComponents.Broker);
        builder.WebHost.UseUrls([.. (hasApi ? new[] { launch.HttpPort, launch.MetricsPort } : [launch.MetricsPort]).Select(p => $"http://{launch.BindAddress}:{p}")]);

        launch.ConfigureServices?.Invoke(builder.Services);
        builder.Services.TryAddSingleton<IKubernetes>(_ => new Kubernetes(
            Environment.GetEnvironmentVariable("KUBECONFIG") is { Length: > 0 } kubeconfig ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
            : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
            : KubernetesClientConfiguration.BuildDefaultConfig()));
        foreach (var component in components)
        {
            _ = component switch
            {
                WorkloadComponents.Broker => builder.Services.AddIotBroker(builder.Configuration),
                WorkloadComponents.Ingest => builder.Services.AddIotIngest(builder.Configuration),
                WorkloadComponents.Analytics => builder.Services.AddIotAnalytics(builder.Configuration),
                WorkloadComponents.Notify => builder.Services.AddIotNotify(builder.Configuration),
                _ => throw new InvalidOperationException($"unknown component '{component}'"),
            };
        }

        var app = builder.Build();
        app.MapGroup("").RequireHost($"*:{launch.MetricsPort}").MapManagementEndpoints();
        if (components.Contains(WorkloadComponents.Notify))
        {
            // MapIotNotify adds the WebSocket middleware only when given the application itself, not a route group.
            app.UseWebSockets();
        }

        if (hasApi)
        {
            var api = app.MapGroup("").RequireHost($"*:{launch.HttpPort}");
            foreach (var component in components)
            {
                _ = component switch
                {
                    WorkloadComponents.Ingest => api.MapIotIngest(),
                    WorkloadComponents.Analytics => api.MapIotAnalytics(),
                    WorkloadComponents.Notify => api.MapIotNotify(),
                    _ => api,
                };
            }
        }

        return app;
    }
}
