using Iot.Cli.Fleet;
using Iot.Devices.Simulation;

using k8s;

using Microsoft.Extensions.Logging;

namespace Iot.Cli.Dev;

/// <summary>
/// Simulates every Device that has password credentials, one fleet per namespace connecting to that namespace's local
/// broker; the Devices are re-read every <see cref="DevOptions.FleetRefresh"/>, and a fleet whose membership changed is
/// restarted. Certificate Devices are left out: the local brokers serve plain MQTT only.
/// </summary>
internal sealed partial class DevFleet(IKubernetes client, LocalWorkloadRunner runner, WorkloadPorts ports, DevOptions options, TimeProvider time) : IAsyncDisposable
{
    private readonly ILogger logger = options.Loggers.CreateLogger<DevFleet>();
    private readonly Dictionary<string, Member> fleets = new(StringComparer.Ordinal);

    /// <summary>Keeps the fleets in line with the Devices until cancelled.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(options.FleetRefresh, time);
        try
        {
            do
            {
                var brokers = runner.Running.Where(w => w.Component == Workloads.WorkloadComponents.Broker && w.Ready).Select(w => w.Namespace).ToList();
                foreach (var ns in brokers)
                {
                    try
                    {
                        await RefreshAsync(ns, cancellationToken).ConfigureAwait(false);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        LogRefreshFailed(e, ns);
                    }
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        List<Member> all;
        lock (fleets)
        {
            all = [.. fleets.Values];
            fleets.Clear();
        }

        foreach (var fleet in all)
        {
            await fleet.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task RefreshAsync(string ns, CancellationToken cancellationToken)
    {
        var port = ports.Mqtt(ns);
        var devices = (await ClusterFleet.ReadAsync(client, ns, cancellationToken).ConfigureAwait(false))
            .Where(d => d.Connection.Password is not null)
            .Select(d => d with { Connection = d.Connection with { Host = "127.0.0.1", Port = port, UseTls = false } })
            .ToList();
        var membership = string.Join('\n', devices.Select(d => $"{d.Connection.DeviceId} {d.Type} {d.Connection.Password}"));
        Member? current;
        lock (fleets)
        {
            fleets.TryGetValue(ns, out current);
        }

        if (current is not null && current.Membership == membership && !current.Running.IsCompleted)
        {
            return;
        }

        if (current is not null)
        {
            lock (fleets)
            {
                fleets.Remove(ns);
            }

            await current.DisposeAsync().ConfigureAwait(false);
        }

        if (devices.Count == 0)
        {
            return;
        }

        var simulator = new FleetSimulator(devices, new FleetSimulatorOptions { Rate = options.Rate, SpikeProbability = options.SpikeProbability, Time = time }, options.Loggers);
        var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var member = new Member(membership, simulator, stop, RunFleetAsync(ns, simulator, stop.Token));
        lock (fleets)
        {
            fleets[ns] = member;
        }

        LogFleetStarted(ns, devices.Count);
    }

    private async Task RunFleetAsync(string ns, FleetSimulator simulator, CancellationToken cancellationToken)
    {
        try
        {
            await simulator.RunAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A device refused (e.g. its credentials not yet seen by the broker): the next refresh starts the fleet again.
            LogFleetFailed(e, ns);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Count} device(s) in {Namespace}")]
    private partial void LogFleetStarted(string @namespace, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The simulated fleet of {Namespace} stopped; restarting it shortly")]
    private partial void LogFleetFailed(Exception exception, string @namespace);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Reading the Devices of {Namespace} failed")]
    private partial void LogRefreshFailed(Exception exception, string @namespace);

    private sealed record Member(string Membership, FleetSimulator Simulator, CancellationTokenSource Stop, Task Running) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await Stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await Running.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }

            await Simulator.DisposeAsync().ConfigureAwait(false);
            Stop.Dispose();
        }
    }
}
