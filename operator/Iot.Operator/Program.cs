using System.Reflection;

using Iot.Hosting;
using Iot.Operator;

using k8s;

using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;

// iot-operator run [--kubeconfig FILE] [--no-leader-election] [--lease-namespace NS] [--port N]: in cluster, or against a
// kubeconfig. Settings come from the "Operator" configuration section (appsettings.json, IOT_Operator__* environment
// variables); the flags override them. /metrics, /healthz and /readyz are served on --port (default 8080).
var version = typeof(OperatorHost).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
if (args is ["--version"] or [])
{
    Console.WriteLine($"iot-operator {version}");
    return 0;
}

if (args is not ["run", .. var rest])
{
    Console.Error.WriteLine($"iot-operator {version}: unknown arguments '{string.Join(' ', args)}'; use --version or run [--kubeconfig FILE] [--no-leader-election] [--lease-namespace NS] [--port N]");
    return 2;
}

var builder = IotHost.CreateBuilder([]);
var options = builder.Configuration.GetSection("Operator").Get<OperatorOptions>() ?? new OperatorOptions();
var kubeconfig = Environment.GetEnvironmentVariable("KUBECONFIG");
var port = 8080;
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
        case "--port" when i + 1 < rest.Length && int.TryParse(rest[i + 1], out var p):
            port = p;
            i++;
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
builder.WebHost.UseUrls($"http://0.0.0.0:{port}");
OperatorService.Add(builder.Services, client, options);
var app = builder.Build();
app.MapManagementEndpoints();
Console.WriteLine($"iot-operator {version} reconciling against {config.Host}; metrics and health on port {port}");
await app.RunAsync();
return 0;
