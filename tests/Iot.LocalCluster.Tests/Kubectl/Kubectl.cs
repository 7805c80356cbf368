using System.Diagnostics;
using System.Text;

namespace Iot.LocalCluster.Tests.Kubectl;

/// <summary>The real kubectl, as an outside client, against a kubeconfig; every started process is killed by its PID when disposed.</summary>
internal sealed class Kubectl(string kubeconfig) : IDisposable
{
    private readonly List<Process> started = [];

    public static void RequireInstalled()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Any(dir => File.Exists(Path.Combine(dir, "kubectl")));
        Assert.True(found, "kubectl is not on PATH; it is needed as an independent client of the local cluster (install it, see README)");
    }

    public async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        using var process = Start(args);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var error = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, await output, await error);
    }

    /// <summary>Starts kubectl and returns the process, whose output the caller reads (for -w and wait).</summary>
    public Process Start(params string[] args)
    {
        var info = new ProcessStartInfo("kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("--kubeconfig");
        info.ArgumentList.Add(kubeconfig);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["KUBECACHEDIR"] = Path.Combine(Path.GetDirectoryName(kubeconfig)!, "cache");
        var process = Process.Start(info)!;
        lock (started)
        {
            started.Add(process);
        }

        return process;
    }

    public void Dispose()
    {
        lock (started)
        {
            foreach (var process in started)
            {
                try
                {
                    if (!process.HasExited)
                    {
                        process.Kill(entireProcessTree: true);
                    }
                }
                catch (InvalidOperationException)
                {
                    // already gone
                }
            }
        }
    }
}
