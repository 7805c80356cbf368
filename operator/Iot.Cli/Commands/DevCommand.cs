using System.CommandLine;
using System.Globalization;

using Iot.Cli.Dev;

using Microsoft.Extensions.Logging;

namespace Iot.Cli.Commands;

/// <summary>
/// <c>iotctl dev</c>: the whole platform on this machine (<see cref="DevEnvironment"/>), with a console summary every
/// 2 s and the endpoints in <c>&lt;dir&gt;/endpoints.json</c>, until Ctrl+C.
/// </summary>
internal static class DevCommand
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);

    public static Command Create()
    {
        var dir = new Option<string>("--dir") { Description = "Where the kubeconfig, endpoints.json and the workloads' data go (data/ is wiped at start).", DefaultValueFactory = _ => ".iot" };
        var examples = new Option<string?>("--examples") { Description = "Manifests to apply at start ('' for none).", DefaultValueFactory = _ => "examples" };
        var crds = new Option<string>("--crds") { Description = "The CRD manifests.", DefaultValueFactory = _ => "crds" };
        var influx = new Option<string?>("--influxdb") { Description = "InfluxDB 1.x URL for telemetry and Room retention (default: a SQLite file per namespace)." };
        var postgres = new Option<string?>("--postgres") { Description = "PostgreSQL connection string for alerts, deliveries and events (default: a SQLite file per namespace)." };
        var noSimulator = new Option<bool>("--no-simulator") { Description = "Do not simulate the Devices." };
        var rate = new Option<double>("--rate") { Description = "Telemetry messages per second, per simulated device.", DefaultValueFactory = _ => 1 };
        var mqttPort = new Option<int>("--mqtt-port") { Description = "The MQTT port of the (first namespace's) broker, written into Device credentials (0: a free port).", DefaultValueFactory = _ => 0 };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log the operator's and the components' information messages (default: warnings)." };
        var command = new Command("dev", "Run the whole platform in this process, no cluster needed: a local API server (kubectl works with <dir>/kubeconfig), the operator, every workload it deploys, embedded storage and a simulated fleet.")
        {
            dir, examples, crds, influx, postgres, noSimulator, rate, mqttPort, verbose,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(rate) <= 0)
            {
                await error.WriteLineAsync("iotctl dev: --rate must be above 0");
                return 2;
            }

            using var loggers = LoggerFactory.Create(logging => logging
                .SetMinimumLevel(parse.GetValue(verbose) ? LogLevel.Information : LogLevel.Warning)
                .AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", LogLevel.None) // components not ready yet; the summary shows what runs
                .AddSimpleConsole(o => o.SingleLine = true));
            DevEnvironment dev;
            try
            {
                dev = await DevEnvironment.StartAsync(new DevOptions
                {
                    Directory = parse.GetValue(dir)!,
                    CrdDirectory = parse.GetValue(crds)!,
                    ExamplesDirectory = parse.GetValue(examples) is { Length: > 0 } e ? e : null,
                    InfluxDbUrl = parse.GetValue(influx),
                    PostgresDsn = parse.GetValue(postgres),
                    Simulator = !parse.GetValue(noSimulator),
                    Rate = parse.GetValue(rate),
                    MqttPort = parse.GetValue(mqttPort),
                    Loggers = loggers,
                }, cancellationToken);
            }
            catch (Exception e) when (e is IOException or ArgumentException or InvalidOperationException or UnauthorizedAccessException)
            {
                await error.WriteLineAsync($"iotctl dev: {e.Message}");
                return 1;
            }

            await using (dev)
            {
                await output.WriteLineAsync($"iotctl dev: local cluster at {dev.ClusterUrl} (development server, not a production cluster); Ctrl+C stops everything");
                await output.WriteLineAsync($"  kubectl --kubeconfig {dev.KubeconfigPath} get iot -A");
                var stop = StopSignal.WaitAsync(cancellationToken);
                DevEndpoints? shown = null;
                while (!stop.IsCompleted)
                {
                    var endpoints = await dev.WriteEndpointsAsync(cancellationToken);
                    if (endpoints.Namespaces.Count > 0 && (shown is null || !SameEndpoints(shown, endpoints)))
                    {
                        await PrintEndpointsAsync(output, dev, endpoints);
                        shown = endpoints;
                    }

                    await output.WriteLineAsync($"{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {dev.ReadSummary()}");
                    await Task.WhenAny(stop, Task.Delay(Refresh, CancellationToken.None));
                }

                await output.WriteLineAsync("iotctl dev: stopping");
            }

            return 0;
        });
        return command;
    }

    private static bool SameEndpoints(DevEndpoints a, DevEndpoints b) =>
        a.Namespaces.Count == b.Namespaces.Count && a.Namespaces.All(n => b.Namespaces.TryGetValue(n.Key, out var other) && other == n.Value);

    private static async Task PrintEndpointsAsync(TextWriter output, DevEnvironment dev, DevEndpoints endpoints)
    {
        await output.WriteLineAsync($"endpoints (also in {dev.EndpointsPath}):");
        foreach (var (ns, e) in endpoints.Namespaces)
        {
            await output.WriteLineAsync($"  namespace {ns}");
            await WriteAsync("mqtt", e.Mqtt, "devices: credentials in Secret <device>-credentials");
            await WriteAsync("analytics", e.Analytics, "Authorization: Bearer <token>");
            await WriteAsync("notify", e.Notify, null);
            await WriteAsync("websocket", e.WebSocket, "?access_token=<token> or the Authorization header");
            await WriteAsync("ingest", e.Ingest, null);
            await WriteAsync("metrics", e.Metrics, null);
            await WriteAsync("token", e.Token is null ? null : "Secret iot-api-token, key token", $"kubectl --kubeconfig {dev.KubeconfigPath} -n {ns} get secret iot-api-token -o jsonpath='{{.data.token}}' | base64 -d");
        }

        async Task WriteAsync(string name, string? value, string? note)
        {
            if (value is not null)
            {
                await output.WriteLineAsync(note is null ? $"    {name,-10} {value}" : $"    {name,-10} {value}    ({note})");
            }
        }
    }
}
