using System.Diagnostics;
using System.Globalization;

namespace Iot.Analytics.Tests.Reports;

/// <summary>
/// A real PostgreSQL 15 on loopback: initdb as user postgres in a temp dir, the server on a free port (socket in its
/// data dir, fsync off), stopped by PID. A minimal stand-in until tests/Iot.Testing has its own PostgreSQL fixture.
/// </summary>
internal sealed class PostgresServer : IAsyncDisposable
{
    private const string Binaries = "/usr/lib/postgresql/15/bin";
    private readonly TempDirectory directory;
    private readonly ServerProcess process;

    private PostgresServer(TempDirectory directory, ServerProcess process, int port)
    {
        this.directory = directory;
        this.process = process;
        ConnectionString = $"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres;Pooling=true";
    }

    public string ConnectionString { get; }

    public static async Task<PostgresServer> StartAsync()
    {
        if (!File.Exists(Path.Combine(Binaries, "postgres")))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed ({Binaries}/postgres is missing).");
        }

        var directory = new TempDirectory();
        try
        {
            var data = Path.Combine(directory.Path, "data");
            Directory.CreateDirectory(data);
            await RunAsync("chmod", "755", directory.Path);
            await RunAsync("chown", "postgres", data);
            await RunAsync("runuser", "-u", "postgres", "--", Path.Combine(Binaries, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8");
            var port = FreePort.Next();
            var process = await ServerProcess.StartAsync(
                "runuser",
                ["-u", "postgres", "--", Path.Combine(Binaries, "postgres"), "-D", data, "-p", port.ToString(CultureInfo.InvariantCulture), "-k", data,
                 "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "synchronous_commit=off"],
                port);
            return new PostgresServer(directory, process, port);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        directory.Dispose();
    }

    private static async Task RunAsync(string executable, params string[] arguments)
    {
        var info = new ProcessStartInfo(executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var run = Process.Start(info)!;
        var output = run.StandardOutput.ReadToEndAsync();
        var error = run.StandardError.ReadToEndAsync();
        await run.WaitForExitAsync();
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"{executable} {string.Join(' ', arguments)} failed ({run.ExitCode}): {await output}{await error}");
        }
    }
}
