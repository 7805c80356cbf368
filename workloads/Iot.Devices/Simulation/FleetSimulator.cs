using Iot.Devices.Client;

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Devices.Simulation;

/// <summary>
/// A fleet of simulated devices, each a real <see cref="DeviceClient"/>: connects them, then publishes realistic telemetry
/// per device type (<see cref="TelemetryModel"/>) at the configured rate until cancelled. Used by <c>iotctl simulate</c>,
/// dev mode (in-process) and the benchmarks.
/// </summary>
public sealed class FleetSimulator(IReadOnlyList<SimulatedDevice> devices, FleetSimulatorOptions options, ILoggerFactory? loggers = null) : IAsyncDisposable
{
    private readonly List<Member> members = [];

    /// <summary>The fleet's state now.</summary>
    public FleetStatus Status
    {
        get
        {
            lock (members)
            {
                return new FleetStatus(
                    devices.Count,
                    members.Count(m => m.Client.IsConnected),
                    members.Sum(m => m.Client.PublishedCount),
                    members.Sum(m => (long)m.Client.BufferedCount),
                    members.Sum(m => m.Client.DroppedCount),
                    members.Sum(m => m.Client.RejectedCount));
            }
        }
    }

    /// <summary>Connects the fleet (a device that cannot connect fails the run) and publishes until cancelled.</summary>
    /// <exception cref="DeviceConnectionException">A device was refused or the broker could not be reached.</exception>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var random = options.Seed is { } seed ? new Random(seed) : new Random();
        var logger = (loggers ?? NullLoggerFactory.Instance).CreateLogger<DeviceClient>();
        foreach (var device in devices)
        {
            var member = new Member(new DeviceClient(device.Connection, logger), TelemetryModel.For(device.Type), random.NextDouble() * 2 * Math.PI);
            lock (members)
            {
                members.Add(member);
            }
        }

        await Parallel.ForEachAsync(members, new ParallelOptions { MaxDegreeOfParallelism = options.ConnectConcurrency, CancellationToken = cancellationToken },
            async (member, ct) => await member.Client.ConnectAsync(ct).ConfigureAwait(false)).ConfigureAwait(false);

        var started = options.Time.GetTimestamp();
        var last = started;
        using var timer = new PeriodicTimer(options.Tick, options.Time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var now = options.Time.GetTimestamp();
                var elapsed = options.Time.GetElapsedTime(started, now);
                var credit = options.Time.GetElapsedTime(last, now).TotalSeconds * options.Rate;
                last = now;
                foreach (var member in members)
                {
                    member.Credit += credit;
                    for (; member.Credit >= 1; member.Credit--)
                    {
                        member.Client.PublishTelemetry(member.Model.Next(elapsed, member.Phase, options.SpikeProbability, random));
                    }
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Disconnects every device.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var member in members)
        {
            await member.Client.DisposeAsync().ConfigureAwait(false);
        }
    }

    private sealed class Member(DeviceClient client, TelemetryModel model, double phase)
    {
        public DeviceClient Client { get; } = client;

        public TelemetryModel Model { get; } = model;

        public double Phase { get; } = phase;

        public double Credit { get; set; }
    }
}
