using System.Globalization;
using System.Threading.Channels;

using Iot.Kube;
using Iot.Operator.Workloads;
using Iot.Workloads;

using k8s;
using k8s.Autorest;
using k8s.Models;

using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Iot.Cli.Dev;

/// <summary>
/// Plays kubelet and the Deployment controller for dev mode: each workload Deployment the operator creates runs
/// in-process (<see cref="WorkloadHost"/>) with the environment its pod template gives (Secret references resolved), on
/// loopback ports; its status is written available once the component is ready; a new pod template restarts it and a
/// deleted Deployment stops it. Storage is shared per namespace, as in a cluster: one telemetry file for ingest and
/// analytics, one event file for notify and analytics.
/// </summary>
internal sealed partial class LocalWorkloadRunner(IKubernetes client, DevOptions options, WorkloadPorts ports, TimeProvider time) : IAsyncDisposable
{
    private static readonly TimeSpan RetryDelay = TimeSpan.FromMilliseconds(500);
    private readonly ILogger logger = options.Loggers.CreateLogger<LocalWorkloadRunner>();
    private readonly Channel<string> queue = Channel.CreateUnbounded<string>();
    private readonly Dictionary<string, RunningWorkload> running = new(StringComparer.Ordinal);
    private readonly Informer<V1Deployment> deployments = new(
        new ResourceClient<V1Deployment>(client, KubeResource.For<V1Deployment>()),
        new ReflectorOptions { LabelSelector = WorkloadStackBuilder.Selector, Logger = options.Loggers.CreateLogger<Informer<V1Deployment>>() });

    /// <summary>The components running now (a snapshot).</summary>
    public IReadOnlyList<RunningWorkload> Running
    {
        get
        {
            lock (running)
            {
                return [.. running.Values];
            }
        }
    }

    /// <summary>Watches the workload Deployments and runs them until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        deployments.AddEventHandler(new ResourceEventHandler<V1Deployment>
        {
            OnAdd = d => Enqueue(ResourceClient<V1Deployment>.KeyOf(d)),
            OnUpdate = (_, d) => Enqueue(ResourceClient<V1Deployment>.KeyOf(d)),
            OnDelete = d => Enqueue(ResourceClient<V1Deployment>.KeyOf(d)),
        });
        var watching = deployments.RunAsync(cancellationToken);
        try
        {
            await foreach (var key in queue.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    await ReconcileAsync(key, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    LogFailed(e, key);
                    RetryLater(key, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            await watching.ConfigureAwait(false);
        }
    }

    /// <summary>Stops every component (in parallel: each may wait for open connections to close), brokers last.</summary>
    public async ValueTask DisposeAsync()
    {
        List<RunningWorkload> all;
        lock (running)
        {
            all = [.. running.Values];
            running.Clear();
        }

        var brokers = all.ToLookup(w => w.Component == WorkloadComponents.Broker);
        await Task.WhenAll(brokers[false].Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
        await Task.WhenAll(brokers[true].Select(w => w.DisposeAsync().AsTask())).ConfigureAwait(false);
    }

    private void Enqueue(string key) => queue.Writer.TryWrite(key);

    private void RetryLater(string key, CancellationToken cancellationToken) =>
        _ = Task.Delay(RetryDelay, time, cancellationToken).ContinueWith(_ => Enqueue(key), CancellationToken.None, TaskContinuationOptions.OnlyOnRanToCompletion, TaskScheduler.Default);

    private async Task ReconcileAsync(string key, CancellationToken cancellationToken)
    {
        var deployment = deployments.Get(key);
        RunningWorkload? current;
        lock (running)
        {
            running.TryGetValue(key, out current);
        }

        if (deployment is null || deployment.Metadata.DeletionTimestamp is not null)
        {
            if (current is not null)
            {
                await StopAsync(key, current).ConfigureAwait(false);
            }

            return;
        }

        var template = KubernetesJson.Serialize(deployment.Spec.Template);
        if (current is not null && current.Template == template)
        {
            if (current.Ready && !IsAvailable(deployment))
            {
                await MarkAvailableAsync(deployment, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        if (current is not null)
        {
            await StopAsync(key, current).ConfigureAwait(false);
        }

        var ns = deployment.Metadata.NamespaceProperty;
        var component = ComponentOf(deployment);
        if (component != WorkloadComponents.Broker)
        {
            // The broker first: the others connect to it (they would retry, but need not).
            var broker = ResourceClient<V1Deployment>.KeyOf(ns, WorkloadStackBuilder.NameOf(WorkloadComponent.Broker));
            bool brokerRunning;
            lock (running)
            {
                brokerRunning = running.ContainsKey(broker);
            }

            if (!brokerRunning && deployments.Get(broker) is not null)
            {
                await ReconcileAsync(broker, cancellationToken).ConfigureAwait(false);
            }
        }

        if (await EnvironmentOfAsync(deployment, component, cancellationToken).ConfigureAwait(false) is not { } environment)
        {
            RetryLater(key, cancellationToken);
            return;
        }

        var (httpPort, metricsPort) = (ports.Http(ns, component), ports.Metrics(ns, component));
        var host = WorkloadHost.Build(new WorkloadLaunch([component], environment)
        {
            BindAddress = "127.0.0.1",
            HttpPort = httpPort,
            MetricsPort = metricsPort,
            DataDirectory = Path.Combine(NamespaceDirectory(ns), component),
            Overrides = OverridesOf(ns, component, environment),
            ConfigureServices = services =>
            {
                services.AddSingleton(client);
                services.AddSingleton(time);
                services.AddLogging(logging => logging.ClearProviders().AddProvider(new ForwardingLoggerProvider(options.Loggers)));
            },
        });
        var workload = await RunningWorkload.StartAsync(ns, component, template, host, httpPort, metricsPort, () => Enqueue(key), cancellationToken).ConfigureAwait(false);
        lock (running)
        {
            running[key] = workload;
        }

        LogStarted(ns, component, httpPort, metricsPort);
    }

    private async Task StopAsync(string key, RunningWorkload workload)
    {
        lock (running)
        {
            running.Remove(key);
        }

        await workload.DisposeAsync().ConfigureAwait(false);
        LogStopped(workload.Namespace, workload.Component);
    }

    private string NamespaceDirectory(string ns) => Path.GetFullPath(Path.Combine(options.Directory, "data", ns));

    private static string ComponentOf(V1Deployment deployment)
    {
        var args = deployment.Spec.Template.Spec.Containers[0].Args ?? [];
        var at = args.IndexOf("--component");
        return at >= 0 && at + 1 < args.Count ? args[at + 1]
            : deployment.Metadata.Labels?.TryGetValue(WorkloadStackBuilder.ComponentLabel, out var label) == true ? label
            : throw new InvalidOperationException($"Deployment {deployment.Metadata.Name} names no component (no --component argument, no {WorkloadStackBuilder.ComponentLabel} label).");
    }

    /// <summary>The container's environment with Secret references resolved, pointed at the namespace's local broker; null while a Secret is missing.</summary>
    private async Task<Dictionary<string, string?>?> EnvironmentOfAsync(V1Deployment deployment, string component, CancellationToken cancellationToken)
    {
        var ns = deployment.Metadata.NamespaceProperty;
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var variable in deployment.Spec.Template.Spec.Containers[0].Env ?? [])
        {
            if (variable.ValueFrom?.SecretKeyRef is not { } reference)
            {
                environment[variable.Name] = variable.Value;
                continue;
            }

            V1Secret secret;
            try
            {
                secret = await client.CoreV1.ReadNamespacedSecretAsync(reference.Name, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (HttpOperationException e) when (e.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
            {
                LogWaitingForSecret(ns, component, reference.Name);
                return null;
            }

            if (secret.Data?.TryGetValue(reference.Key, out var value) == true)
            {
                environment[variable.Name] = System.Text.Encoding.UTF8.GetString(value);
            }
            else if (reference.Optional != true)
            {
                LogWaitingForSecret(ns, component, reference.Name);
                return null;
            }
        }

        environment[WorkloadSettings.MqttHost] = "127.0.0.1";
        environment[WorkloadSettings.MqttPort] = ports.Mqtt(ns).ToString(CultureInfo.InvariantCulture);
        if (options.PostgresDsn is { } dsn && component is WorkloadComponents.Notify or WorkloadComponents.Analytics)
        {
            // Given straight to the components rather than through a Secret in every namespace: dev mode has one database.
            environment[WorkloadSettings.PostgresDsn] = dsn;
        }

        return environment;
    }

    private Dictionary<string, string?> OverridesOf(string ns, string component, Dictionary<string, string?> environment)
    {
        var directory = NamespaceDirectory(ns);
        var events = Path.Combine(directory, "events.db");
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        switch (component)
        {
            case WorkloadComponents.Broker:
                overrides["Broker:Port"] = ports.Mqtt(ns).ToString(CultureInfo.InvariantCulture);
                overrides["Broker:TlsPort"] = "0";
                break;
            case WorkloadComponents.Notify when !environment.ContainsKey(WorkloadSettings.PostgresDsn):
                overrides["Notify:Store:Path"] = events;
                break;
            case WorkloadComponents.Analytics when !environment.ContainsKey(WorkloadSettings.PostgresDsn):
                overrides["Analytics:Alerts:Source"] = "events";
                overrides["Analytics:Alerts:SqlitePath"] = events;
                break;
            default:
                break;
        }

        if (component is WorkloadComponents.Ingest or WorkloadComponents.Analytics && !environment.ContainsKey(WorkloadSettings.InfluxDbUrl))
        {
            overrides["TimeSeries:Sqlite:Path"] = Path.Combine(directory, "telemetry.db");
        }

        return overrides;
    }

    private static bool IsAvailable(V1Deployment deployment) =>
        deployment.Status is { } status
        && status.ObservedGeneration == deployment.Metadata.Generation
        && status.AvailableReplicas == (deployment.Spec.Replicas ?? 1)
        && status.Conditions?.Any(c => c.Type == "Available" && c.Status == "True") == true;

    private Task MarkAvailableAsync(V1Deployment deployment, CancellationToken cancellationToken)
    {
        // One in-process instance stands for every replica the operator asked for.
        var replicas = deployment.Spec.Replicas ?? 1;
        var now = time.GetUtcNow().UtcDateTime;
        var patch = new
        {
            status = new
            {
                observedGeneration = deployment.Metadata.Generation,
                replicas,
                updatedReplicas = replicas,
                readyReplicas = replicas,
                availableReplicas = replicas,
                conditions = new[]
                {
                    new { type = "Available", status = "True", reason = "MinimumReplicasAvailable", message = "Running in-process (iotctl dev).", lastUpdateTime = now, lastTransitionTime = now },
                },
            },
        };
        return new ResourceClient<V1Deployment>(client, KubeResource.For<V1Deployment>())
            .MergePatchStatusAsync(deployment.Metadata.Name, deployment.Metadata.NamespaceProperty, patch, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {Namespace}/{Component} (API port {HttpPort}, metrics port {MetricsPort})")]
    private partial void LogStarted(string @namespace, string component, int httpPort, int metricsPort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped {Namespace}/{Component}")]
    private partial void LogStopped(string @namespace, string component);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Namespace}/{Component} waits for Secret {Secret}")]
    private partial void LogWaitingForSecret(string @namespace, string component, string secret);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Running workload {Key} failed; retrying")]
    private partial void LogFailed(Exception exception, string key);
}
