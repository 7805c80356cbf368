using System.CommandLine;

using Iot.LocalCluster;

namespace Iot.Cli.Commands;

/// <summary><c>iotctl local-cluster</c>: serves a local Kubernetes-compatible API server until interrupted.</summary>
internal static class LocalClusterCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Port on 127.0.0.1 (0 picks a free one).", DefaultValueFactory = _ => 6443 };
        var kubeconfig = new Option<string>("--kubeconfig") { Description = "Where to write the kubeconfig.", DefaultValueFactory = _ => ".iot/kubeconfig" };
        var crds = new Option<string?>("--crds") { Description = "Directory of CRD manifests to install at start-up (e.g. crds/)." };
        var apply = new Option<string?>("--apply") { Description = "Directory of manifests to create at start-up (e.g. examples/)." };
        var https = new Option<bool>("--https") { Description = "Serve HTTPS with a generated self-signed CA (written into the kubeconfig)." };
        var command = new Command("local-cluster", "Run a local Kubernetes-compatible API server (for development and tests; not a production cluster). kubectl works against it with the written kubeconfig.")
        {
            port, kubeconfig, crds, apply, https,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var cluster = await LocalCluster.LocalCluster.StartAsync(new LocalClusterOptions
            {
                Port = parse.GetValue(port),
                KubeconfigPath = parse.GetValue(kubeconfig),
                CrdDirectory = parse.GetValue(crds),
                ApplyDirectory = parse.GetValue(apply),
                Https = parse.GetValue(https),
            }, cancellationToken);
            var output = parse.InvocationConfiguration.Output;
            await output.WriteLineAsync($"local cluster serving at {cluster.Url} (development and test server, not a production cluster)");
            await output.WriteLineAsync($"kubeconfig: {cluster.KubeconfigPath}    try: kubectl --kubeconfig {cluster.KubeconfigPath} get iot -A");
            await output.WriteLineAsync("press Ctrl+C to stop");
            await StopSignal.WaitAsync(cancellationToken);
            await output.WriteLineAsync("stopping");
            return 0;
        });
        return command;
    }
}
