using System.Diagnostics;

namespace Iot.Operator.Tests;

public sealed class OperatorExecutableTests
{
    private static async Task<(int Code, string Output, string Error)> RunAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "Iot.Operator.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            return (process.ExitCode, await output, await error);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task Version_flag_prints_the_product_version()
    {
        var (code, output, _) = await RunAsync("--version");
        Assert.Equal(0, code);
        Assert.StartsWith("iot-operator 0.1.0", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Unknown_arguments_fail_and_say_what_is_supported()
    {
        var (code, _, error) = await RunAsync("reconcile");
        Assert.Equal(2, code);
        Assert.Contains("use --version or run", error, StringComparison.Ordinal);
    }
}
