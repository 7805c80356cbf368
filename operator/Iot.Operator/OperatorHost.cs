using Iot.Kube;
using Iot.Operator.AlertRoutes;
using Iot.Operator.Devices;
using Iot.Operator.EdgeRules;
using Iot.Operator.Rooms;
using Iot.Operator.Workloads;

using k8s;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Operator;

/// <summary>Settings of <see cref="OperatorHost"/>.</summary>
public sealed record OperatorOptions
{
    /// <summary>Elect a leader on a Lease so that only one replica reconciles; off for a single local instance.</summary>
    public bool LeaderElection { get; init; } = true;

    /// <summary>Namespace of the leader-election Lease (the operator's own namespace in a cluster).</summary>
    public string LeaseNamespace { get; init; } = "default";

    /// <summary>Name of the leader-election Lease.</summary>
    public string LeaseName { get; init; } = "iot-operator";

    /// <summary>This replica's identity on the Lease (default: host name and a random suffix).</summary>
    public string? Identity { get; init; }

    /// <summary>How long a Lease is valid without renewal: a dead leader is replaced after at most this long.</summary>
    public TimeSpan LeaseDuration { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconciles run in parallel per controller (never the same object twice at once).</summary>
    public int Workers { get; init; } = 2;

    /// <summary>Only watch this namespace (null: all namespaces).</summary>
    public string? Namespace { get; init; }

    /// <summary>Settings of the Device controller (broker address written into credentials Secrets).</summary>
    public DeviceControllerOptions Devices { get; init; } = new();

    /// <summary>InfluxDB retention for Rooms (null InfluxDB: none; the embedded store applies raw retention itself).</summary>
    public RetentionOptions Retention { get; init; } = new();

    /// <summary>How the namespaces' workloads are deployed (image, replicas, resources, storage endpoints).</summary>
    public WorkloadOptions Workloads { get; init; } = new();
}

/// <summary>
/// Runs the controllers of the four kinds against one API server. Every replica keeps its caches warm (one shared
/// informer per kind); only the leader of the Lease runs workers, and they stop at once when it loses the Lease.
/// </summary>
public sealed class OperatorHost
{
    private readonly OperatorOptions options;
    private readonly ILogger logger;
    private readonly IReadOnlyList<IController> controllers;
    private readonly LeaderElection? election;

    /// <summary>The controllers of <paramref name="client"/>'s cluster; nothing runs until <see cref="RunAsync"/>.</summary>
    public OperatorHost(IKubernetes client, OperatorOptions options, TimeProvider time, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(client);
        this.options = options ?? throw new ArgumentNullException(nameof(options));
        loggers ??= NullLoggerFactory.Instance;
        logger = loggers.CreateLogger<OperatorHost>();
        var informers = new InformerFactory(client);
        var informer = new ReflectorOptions { Namespace = options.Namespace, Logger = loggers.CreateLogger<InformerFactory>() };
        ControllerOptions Settings(string name) => new()
        {
            Name = name,
            Workers = options.Workers,
            Informers = informers,
            Informer = informer,
            Logger = loggers.CreateLogger("Iot.Operator.Controllers." + name),
        };
        controllers =
        [
            DeviceController.Create(client, options.Devices, time, Settings("device")),
            RoomController.Create(client, time, options.Retention, Settings("room")),
            EdgeRuleController.Create(client, time, Settings("edgerule")),
            AlertRouteController.Create(client, time, Settings("alertroute")),
            WorkloadStackController.Create(client, options.Workloads, options.Namespace, Settings("workloads")),
        ];
        if (options.LeaderElection)
        {
            election = new LeaderElection(client, new LeaderElectionOptions
            {
                LeaseName = options.LeaseName,
                LeaseNamespace = options.LeaseNamespace,
                Identity = options.Identity,
                LeaseDuration = options.LeaseDuration,
                RenewDeadline = options.LeaseDuration * 2 / 3,
                RetryPeriod = options.LeaseDuration / 5,
            });
            election.LeadershipChanged += (_, leading) => logger.LogInformation(
                leading ? "{Identity} leads: reconciling" : "{Identity} lost leadership: reconciling stopped", election.Identity);
            election.Error += (_, e) => logger.LogWarning(e, "Leader election on Lease {Namespace}/{Lease} failed; retrying", options.LeaseNamespace, options.LeaseName);
        }
    }

    /// <summary>The controllers (metrics, readiness).</summary>
    public IReadOnlyList<IController> Controllers => controllers;

    /// <summary>Whether this replica reconciles now (always true without leader election once running).</summary>
    public bool IsLeader => election?.IsLeader ?? true;

    /// <summary>Readiness: every cache has listed its kind.</summary>
    public bool HasSynced => controllers.All(c => c.HasSynced);

    /// <summary>Liveness: no watch has been down for longer than tolerated.</summary>
    public bool WatchesAlive => controllers.All(c => c.WatchesAlive);

    /// <summary>Runs the caches, and the workers while leading, until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var caches = Task.WhenAll(controllers.Select(c => c.RunInformersAsync(cancellationToken)));
        try
        {
            if (election is null)
            {
                await RunWorkersAsync(cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await election.RunAsync(RunWorkersAsync, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await caches.ConfigureAwait(false);
        }
    }

    private Task RunWorkersAsync(CancellationToken leading) => Task.WhenAll(controllers.Select(c => c.RunWorkersAsync(leading)));
}
