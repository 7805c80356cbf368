using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;

namespace Iot.Broker.Tests.Support;

/// <summary>mosquitto_pub and mosquitto_sub (Debian's mosquitto-clients): clients nobody here wrote.</summary>
internal static class MosquittoClients
{
    /// <summary>Runs mosquitto_pub to completion (at most 15 s); its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> PublishAsync(int port, params string[] args)
    {
        using var process = Start("mosquitto_pub", ["-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), .. args]);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException($"mosquitto_pub {string.Join(' ', args)} did not finish");
        }

        return (process.ExitCode, await stdout + await stderr);
    }

    /// <summary>Starts mosquitto_sub in debug mode (so its SUBACK is visible) printing messages as "MSG topic payload".</summary>
    public static Subscriber Subscribe(int port, params string[] args) => SubscribeFormatted(port, "MSG %t %p", args);

    /// <summary>Starts mosquitto_sub printing each message with <paramref name="format"/> (which should start with "MSG ").</summary>
    public static Subscriber SubscribeFormatted(int port, string format, params string[] args)
    {
        var path = ServerProcess.Which("mosquitto_sub") ?? throw new InvalidOperationException("'mosquitto_sub' is not installed (run `make deps`: package mosquitto-clients).");
        // stdbuf: line-buffered stdout, so each line is seen as it is printed rather than when the pipe buffer fills.
        return new(Start("stdbuf", ["-oL", path, "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-d", "-F", format, .. args]));
    }

    internal static Process Start(string executable, IEnumerable<string> arguments)
    {
        var path = ServerProcess.Which(executable) ?? throw new InvalidOperationException($"'{executable}' is not installed (run `make deps`: package mosquitto-clients).");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        return Process.Start(info) ?? throw new InvalidOperationException($"{executable} did not start");
    }
}

/// <summary>A running mosquitto_sub: its output lines, and a stop by PID.</summary>
internal sealed class Subscriber : IAsyncDisposable
{
    private readonly Process process;
    private readonly ConcurrentQueue<string> lines = new();

    public Subscriber(Process process)
    {
        this.process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    /// <summary>The messages received, as "topic payload".</summary>
    public IReadOnlyList<string> Messages => [.. lines.Where(l => l.StartsWith("MSG ", StringComparison.Ordinal)).Select(l => l[4..])];

    public string Output => string.Join('\n', lines);

    public Task WaitForSubscribedAsync() => WaitUntilAsync(() => lines.Any(l => l.Contains("received SUBACK", StringComparison.Ordinal)), "mosquitto_sub got its SUBACK");

    public Task WaitForMessagesAsync(int count) => WaitUntilAsync(() => Messages.Count >= count, $"mosquitto_sub received {count} message(s)");

    public Task WaitForExitAsync() => WaitUntilAsync(() => process.HasExited, "mosquitto_sub exited");

    /// <summary>Pauses (SIGSTOP) or resumes (SIGCONT) the process: a subscriber that stops reading its socket.</summary>
    public void Signal(string signal)
    {
        using var kill = Process.Start("kill", [$"-{signal}", Pid.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!process.HasExited)
        {
            Signal("CONT");
            process.Kill();
            await process.WaitForExitAsync();
        }

        process.Dispose();
    }

    private async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"Timed out waiting until {what}. Output:\n{Output}");
            }

            await Task.Delay(10);
        }
    }

    private void Add(string? line)
    {
        if (line is not null)
        {
            lines.Enqueue(line);
        }
    }
}
