using System.Reflection;
using System.Runtime.InteropServices;

using Iot.Operator;

using k8s;

// iot-operator run [--kubeconfig FILE] [--no-leader-election] [--lease-namespace NS]: in cluster, or against a kubeconfig.
var version = typeof(OperatorHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
if (args is ["--version"] or [])
{
    Console.WriteLine($"iot-operator {version}");
    return 0;
}

if (args is not ["run", .. var rest])
{
    Console.Error.WriteLine($"iot-operator {version}: unknown arguments '{string.Join(' ', args)}'; use --version or run [--kubeconfig FILE] [--no-leader-election] [--lease-namespace NS]");
    return 2;
}

string? kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
var options = new OperatorOptions();
for (var i = 0; i < rest.Length; i++)
{
    switch (rest[i])
    {
        case "--kubeconfig" when i + 1 < rest.Length:
            kubeconfig = rest[++i];
            break;
        case "--no-leader-election":
            options = options with { LeaderElection = false };
            break;
        case "--lease-namespace" when i + 1 < rest.Length:
            options = options with { LeaseNamespace = rest[++i] };
            break;
        default:
            Console.Error.WriteLine($"iot-operator: unknown option '{rest[i]}'");
            return 2;
    }
}

var config = kubeconfig is not null ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig)
    : KubernetesClientConfiguration.IsInCluster() ? KubernetesClientConfiguration.InClusterConfig()
    : KubernetesClientConfiguration.BuildDefaultConfig();
using var client = new Kubernetes(config);
using var stop = new CancellationTokenSource();
using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => { context.Cancel = true; stop.Cancel(); });
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; stop.Cancel(); });
Console.WriteLine($"iot-operator {version} reconciling against {config.Host}");
await OperatorHost.RunAsync(client, options, TimeProvider.System, (message, error) => Console.Error.WriteLine(error is null ? message : $"{message}: {error.Message}"), stop.Token);
return 0;
