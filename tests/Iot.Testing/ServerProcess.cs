using System.Diagnostics;
using System.Net.Sockets;
using System.Text;

namespace Iot.Testing;

/// <summary>
/// A real server (influxd, mosquitto, postgres, …) started by a test on loopback: started, waited for until its port
/// accepts connections, and stopped by its own PID when disposed, even when the test failed. Its output is kept for the
/// failure message.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;
    private readonly StringBuilder output = new();

    private ServerProcess(Process process) => this.process = process;

    /// <summary>The server's PID.</summary>
    public int Pid => process.Id;

    /// <summary>True while the process runs.</summary>
    public bool IsRunning => !process.HasExited;

    /// <summary>Everything the server wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (output)
            {
                return output.ToString();
            }
        }
    }

    /// <summary>
    /// Starts <paramref name="executable"/> and waits until 127.0.0.1:<paramref name="port"/> accepts a connection.
    /// A missing binary or a server that exits or never listens is an exception naming the cause, never a skip.
    /// </summary>
    public static async Task<ServerProcess> StartAsync(
        string executable,
        IEnumerable<string> arguments,
        int port,
        TimeSpan? startTimeout = null,
        IReadOnlyDictionary<string, string>? environment = null,
        CancellationToken cancellationToken = default)
    {
        var path = Which(executable) ?? throw new InvalidOperationException($"'{executable}' is not installed (run `make deps`).");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"'{executable}' did not start.");
        var server = new ServerProcess(process);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await server.WaitForPortAsync(executable, port, startTimeout ?? TimeSpan.FromSeconds(30), cancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>Full path of an executable on PATH (or in /usr/sbin, where Debian puts servers), or null.</summary>
    public static string? Which(string executable)
    {
        if (Path.IsPathRooted(executable))
        {
            return File.Exists(executable) ? executable : null;
        }

        var directories = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Concat(["/usr/sbin", "/usr/local/sbin", "/sbin"]);
        return directories.Select(d => Path.Combine(d, executable)).FirstOrDefault(File.Exists);
    }

    /// <summary>Stops the server (SIGTERM, then SIGKILL after <paramref name="grace"/>) and waits for it to exit.</summary>
    public async Task StopAsync(TimeSpan? grace = null)
    {
        if (process.HasExited)
        {
            return;
        }

        try
        {
            using var kill = Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
            using var timeout = new CancellationTokenSource(grace ?? TimeSpan.FromSeconds(10));
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private async Task WaitForPortAsync(string executable, int port, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                throw new InvalidOperationException($"'{executable}' exited with code {process.ExitCode} before listening on port {port}:\n{Output}");
            }

            try
            {
                using var socket = new TcpClient();
                await socket.ConnectAsync("127.0.0.1", port, cancellationToken);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(50, cancellationToken);
            }
            catch (SocketException)
            {
                throw new TimeoutException($"'{executable}' did not listen on port {port} within {timeout.TotalSeconds:0} s:\n{Output}");
            }
        }
    }
}
