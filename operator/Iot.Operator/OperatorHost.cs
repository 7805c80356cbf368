using Iot.Kube;
using Iot.Operator.AlertRoutes;
using Iot.Operator.Devices;
using Iot.Operator.EdgeRules;
using Iot.Operator.Rooms;

using k8s;

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

    /// <summary>Reconciles run in parallel per controller (never the same object twice at once).</summary>
    public int Workers { get; init; } = 2;
}

/// <summary>
/// Runs the controllers of the four kinds against one API server, behind leader election: only the leader
/// reconciles, and it stops at once when it loses the Lease.
/// </summary>
public static class OperatorHost
{
    public static async Task RunAsync(IKubernetes client, OperatorOptions options, TimeProvider time, Action<string, Exception?> log, CancellationToken cancellationToken)
    {
        if (!options.LeaderElection)
        {
            await RunControllersAsync(client, options, time, log, cancellationToken);
            return;
        }

        var election = new LeaderElection(client, new LeaderElectionOptions { LeaseName = options.LeaseName, LeaseNamespace = options.LeaseNamespace });
        election.LeadershipChanged += (_, leading) => log(leading ? $"{election.Identity} leads: reconciling" : $"{election.Identity} lost leadership: reconciling stopped", null);
        await election.RunAsync(leading => RunControllersAsync(client, options, time, log, leading), cancellationToken);
    }

    private static async Task RunControllersAsync(IKubernetes client, OperatorOptions options, TimeProvider time, Action<string, Exception?> log, CancellationToken cancellationToken)
    {
        ControllerOptions Settings(string name) => new() { Name = name, Workers = options.Workers, Log = log };
        Task[] controllers =
        [
            DeviceController.Create(client, new DeviceControllerOptions { Workers = options.Workers, Log = log }, time).RunAsync(cancellationToken),
            RoomController.Create(client, time, Settings("room")).RunAsync(cancellationToken),
            EdgeRuleController.Create(client, time, Settings("edgerule")).RunAsync(cancellationToken),
            AlertRouteController.Create(client, time, Settings("alertroute")).RunAsync(cancellationToken),
        ];
        try
        {
            await Task.WhenAll(controllers);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping, or leadership lost
        }
    }
}
