using System.Diagnostics;

namespace Iot.Chart.Tests.Support;

/// <summary>A command-line tool the chart tests shell out to: helm and promtool from <c>.iot/tools</c> (<c>make deps</c>), dotnet.</summary>
internal sealed record Tool(string Path)
{
    public static Tool Helm { get; } = Installed("helm");

    public static Tool Promtool { get; } = Installed("promtool");

    public static Tool Dotnet { get; } = new("dotnet");

    /// <summary>Runs the tool; fails the test with its output when it exits non-zero unless <paramref name="mayFail"/>.</summary>
    public async Task<ToolResult> RunAsync(IEnumerable<string> args, bool mayFail = false, string? workingDirectory = null)
    {
        if (Path != "dotnet" && !File.Exists(Path))
        {
            Assert.Fail($"{Path} is missing: run `make deps` (it installs helm and promtool into .iot/tools)");
        }

        var start = new ProcessStartInfo(Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory ?? RepositoryRoot.Path,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{Path} did not start");
        try
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            var result = new ToolResult(process.ExitCode, await output, await error);
            if (!mayFail && result.ExitCode != 0)
            {
                Assert.Fail($"`{System.IO.Path.GetFileName(Path)} {string.Join(' ', start.ArgumentList)}` exited with {result.ExitCode}:\n{result.Output}\n{result.Error}");
            }

            return result;
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }
        }
    }

    private static Tool Installed(string name) => new(RepositoryRoot.Combine(".iot", "tools", name));
}

/// <summary>What a tool run printed and how it exited.</summary>
internal sealed record ToolResult(int ExitCode, string Output, string Error);
