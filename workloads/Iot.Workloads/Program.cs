using System.Reflection;

using Iot.Workloads;

// iot-workloads --component broker|ingest|analytics|notify|all [--http-port 8080] [--metrics-port 9090] [--data-dir DIR]:
// the components the operator's Deployments run, configured by the IOT_* environment they set (see WorkloadSettings).
var version = typeof(WorkloadHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
const string Usage = "use --version, or --component broker|ingest|analytics|notify|all [--http-port N] [--metrics-port N] [--data-dir DIR]";
if (args is ["--version"] or [])
{
    Console.WriteLine($"iot-workloads {version}");
    return 0;
}

var names = new List<string>();
var launch = new WorkloadLaunch([], WorkloadSettings.ProcessEnvironment());
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--component" when i + 1 < args.Length:
            names.Add(args[++i]);
            break;
        case "--http-port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var http):
            launch = launch with { HttpPort = http };
            i++;
            break;
        case "--metrics-port" when i + 1 < args.Length && int.TryParse(args[i + 1], out var metrics):
            launch = launch with { MetricsPort = metrics };
            i++;
            break;
        case "--data-dir" when i + 1 < args.Length:
            launch = launch with { DataDirectory = Path.GetFullPath(args[++i]) };
            break;
        default:
            Console.Error.WriteLine($"iot-workloads: unknown option '{args[i]}'; {Usage}");
            return 2;
    }
}

Microsoft.AspNetCore.Builder.WebApplication app;
try
{
    launch = launch with { Components = WorkloadComponents.Parse(names) };
    app = WorkloadHost.Build(launch);
}
catch (Exception e) when (e is ArgumentException or InvalidOperationException)
{
    Console.Error.WriteLine($"iot-workloads: {e.Message}");
    return 2;
}

Console.WriteLine($"iot-workloads {version}: {string.Join(", ", launch.Components)} for namespace {launch.Environment[WorkloadSettings.Namespace]}");
try
{
    await app.RunAsync();
}
catch (Microsoft.Extensions.Options.OptionsValidationException e)
{
    Console.Error.WriteLine($"iot-workloads: invalid settings: {string.Join("; ", e.Failures)}");
    return 2;
}

return 0;
