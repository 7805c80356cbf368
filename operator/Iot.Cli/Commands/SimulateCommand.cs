using System.CommandLine;
using System.Globalization;

using Iot.Cli.Fleet;
using Iot.Devices.Client;
using Iot.Devices.Simulation;

using k8s;

namespace Iot.Cli.Commands;

/// <summary>
/// <c>iotctl simulate</c>: a fleet of simulated devices publishing realistic telemetry, with the credentials of the
/// Devices in a namespace (read from their credentials Secrets) or of a directory of credentials directories.
/// </summary>
internal static class SimulateCommand
{
    public static Command Create()
    {
        var devices = new Option<int>("--devices", "-n") { Description = "How many devices to simulate.", DefaultValueFactory = _ => 10 };
        var rate = new Option<double>("--rate", "-r") { Description = "Telemetry messages per second, per device.", DefaultValueFactory = _ => 1 };
        var kubeconfig = new Option<string?>("--kubeconfig") { Description = "Read Devices and their credentials Secrets through this kubeconfig (with --namespace)." };
        var ns = new Option<string?>("--namespace") { Description = "The namespace of the Devices (with --kubeconfig)." };
        var broker = new Option<string?>("--broker") { Description = "host:port of the broker; overrides the host and port in the credentials (e.g. a port-forward)." };
        var credentialsDir = new Option<string?>("--credentials-dir") { Description = "A directory with one sub-directory per device, each holding the keys of its credentials Secret as files (username, password, host, port, …; optionally 'type')." };
        var duration = new Option<double?>("--duration") { Description = "Stop after this many seconds (default: until Ctrl+C)." };
        var command = new Command("simulate", "Simulate a fleet of devices: each connects with its own credentials and publishes telemetry per its type (sine + noise + occasional spikes that trip rules), printing a live count.")
        {
            devices, rate, kubeconfig, ns, broker, credentialsDir, duration,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var count = parse.GetValue(devices);
            if (count < 1 || parse.GetValue(rate) <= 0)
            {
                await error.WriteLineAsync("--devices must be at least 1 and --rate above 0");
                return 2;
            }

            IReadOnlyList<SimulatedDevice> fleet;
            try
            {
                var available = parse.GetValue(credentialsDir) is { } dir
                    ? FromDirectory(dir)
                    : parse.GetValue(kubeconfig) is { } config && parse.GetValue(ns) is { } name
                        ? await FromClusterAsync(config, name, cancellationToken)
                        : throw new ArgumentException("Give --kubeconfig and --namespace, or --credentials-dir.");
                if (available.Count < count)
                {
                    throw new ArgumentException($"Found credentials for {available.Count} device(s); --devices asks for {count}.");
                }

                fleet = [.. available.Take(count).Select(d => parse.GetValue(broker) is { } address ? d with { Connection = WithBroker(d.Connection, address) } : d)];
            }
            catch (Exception e) when (e is ArgumentException or IOException or InvalidOperationException or k8s.Autorest.HttpOperationException or System.Net.Http.HttpRequestException or k8s.Exceptions.KubeConfigException)
            {
                await error.WriteLineAsync($"iotctl simulate: {e.Message}");
                return 2;
            }

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            if (parse.GetValue(duration) is { } seconds)
            {
                stop.CancelAfter(TimeSpan.FromSeconds(seconds));
            }

            var stopSignal = StopSignal.WaitAsync(stop.Token).ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
            await using var simulator = new FleetSimulator(fleet, new FleetSimulatorOptions { Rate = parse.GetValue(rate) });
            var running = simulator.RunAsync(stop.Token);
            await output.WriteLineAsync($"simulating {fleet.Count} device(s) at {parse.GetValue(rate).ToString(CultureInfo.InvariantCulture)} message(s)/s each; Ctrl+C to stop");
            while (!running.IsCompleted)
            {
                await Task.WhenAny(running, Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None));
                await output.WriteLineAsync(simulator.Status.ToString());
            }

            try
            {
                await running;
            }
            catch (DeviceConnectionException e)
            {
                await error.WriteLineAsync($"iotctl simulate: {e.Message}");
                return 1;
            }

            await stop.CancelAsync();
            await stopSignal;
            return 0;
        });
        return command;
    }

    private static List<SimulatedDevice> FromDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            throw new ArgumentException($"--credentials-dir {directory} does not exist.");
        }

        return [.. Directory.GetDirectories(directory).Order(StringComparer.Ordinal).Select(d =>
        {
            var typeFile = Path.Combine(d, "type");
            return new SimulatedDevice(DeviceClientOptions.FromDirectory(d), File.Exists(typeFile) ? File.ReadAllText(typeFile).Trim() : "thermostat");
        })];
    }

    private static async Task<List<SimulatedDevice>> FromClusterAsync(string kubeconfig, string ns, CancellationToken cancellationToken)
    {
        using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        return await ClusterFleet.ReadAsync(client, ns, cancellationToken);
    }

    private static DeviceClientOptions WithBroker(DeviceClientOptions options, string address)
    {
        var colon = address.LastIndexOf(':');
        if (colon <= 0 || !int.TryParse(address[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var port))
        {
            throw new ArgumentException($"--broker must be host:port, not '{address}'.");
        }

        return options with { Host = address[..colon], Port = port };
    }
}
