using System.Diagnostics;

using k8s;

namespace Iot.Cli.Tests;

public sealed class LocalClusterCommandTests
{
    [Fact]
    public async Task Local_cluster_serves_with_crds_and_manifests_until_interrupted()
    {
        using var dir = new TempDirectory();
        var kubeconfig = Path.Combine(dir.Path, "kubeconfig");
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "iotctl.dll"), "local-cluster", "--port", "0", "--kubeconfig", kubeconfig, "--crds", RepositoryRoot.Combine("crds"), "--apply", RepositoryRoot.Combine("examples") })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        try
        {
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            var first = await process.StandardOutput.ReadLineAsync(patience.Token);
            Assert.StartsWith("local cluster serving at http://127.0.0.1:", first, StringComparison.Ordinal);
            using var client = new Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
            var rooms = await client.CustomObjects.ListNamespacedCustomObjectAsync("iotoperator.io", "v1alpha1", "building-a", "rooms", cancellationToken: patience.Token);
            Assert.Equal(3, ((System.Text.Json.JsonElement)rooms).GetProperty("items").GetArrayLength());

            // SIGTERM (what a process manager sends; Ctrl+C is SIGINT, handled the same) to its own PID: it stops cleanly.
            using (var interrupt = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await interrupt.WaitForExitAsync(patience.Token);
            }

            await process.WaitForExitAsync(patience.Token);
            Assert.Equal(0, process.ExitCode);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }
}
