using System.Diagnostics;
using System.Globalization;

namespace Iot.Testing;

/// <summary>
/// A real PostgreSQL 15 on loopback for tests: a fresh cluster (initdb as user <c>postgres</c>, trust authentication,
/// fsync off) in a temp dir, started on a free port and stopped by PID. Start one per test collection and give each
/// test class its own database with <see cref="CreateDatabaseAsync"/>.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    /// <summary>Where Debian puts the PostgreSQL 15 binaries.</summary>
    public const string BinDirectory = "/usr/lib/postgresql/15/bin";

    private readonly string directory;
    private readonly ServerProcess process;
    private int databases;

    private PostgresServer(string directory, ServerProcess process, int port)
    {
        this.directory = directory;
        this.process = process;
        Port = port;
    }

    /// <summary>The TCP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The server's log so far (for failure messages).</summary>
    public string Output => process.Output;

    /// <summary>Initializes a cluster in a temp dir and starts the server; a missing binary is an exception saying so.</summary>
    public static async Task<PostgresServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var postgres = Path.Combine(BinDirectory, "postgres");
        if (!File.Exists(postgres))
        {
            throw new InvalidOperationException($"PostgreSQL 15 is not installed: {postgres} is missing (apt-get install postgresql-15).");
        }

        var directory = Directory.CreateTempSubdirectory("iot-postgres-").FullName;
        try
        {
            await RunAsync("chown", ["postgres:postgres", directory], cancellationToken);
            var data = Path.Combine(directory, "data");
            await RunAsync("runuser", ["-u", "postgres", "--", Path.Combine(BinDirectory, "initdb"), "-D", data, "-U", "postgres",
                "--auth=trust", "--no-sync", "--no-instructions", "-E", "UTF8", "--locale=C"], cancellationToken);
            var port = FreePort.Next();
            var server = await ServerProcess.StartAsync("runuser",
                ["-u", "postgres", "--", postgres, "-D", data, "-k", directory, "-p", port.ToString(CultureInfo.InvariantCulture), "-h", "127.0.0.1",
                 "-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off", "-c", "max_connections=200"],
                port, TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
            try
            {
                await WaitAcceptingConnectionsAsync(port, server, cancellationToken);
            }
            catch
            {
                await server.DisposeAsync();
                throw;
            }

            return new PostgresServer(directory, server, port);
        }
        catch
        {
            Directory.Delete(directory, recursive: true);
            throw;
        }
    }

    /// <summary>A connection string for database <paramref name="database"/> as the superuser.</summary>
    public string ConnectionString(string database) =>
        $"Host=127.0.0.1;Port={Port};Username=postgres;Database={database};Include Error Detail=true";

    /// <summary>Creates a new, empty database (named after <paramref name="prefix"/>) and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "test", CancellationToken cancellationToken = default)
    {
        var name = $"{prefix.ToLowerInvariant()}_{Interlocked.Increment(ref databases)}";
        await RunAsync(Path.Combine(BinDirectory, "createdb"), ["-h", "127.0.0.1", "-p", Port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", name], cancellationToken);
        return ConnectionString(name);
    }

    /// <summary>Stops the server (fast shutdown: open client connections do not hold it up) and removes its files.</summary>
    public async ValueTask DisposeAsync()
    {
        // runuser forwards SIGTERM (a "smart" shutdown that waits for pooled client connections) but not SIGINT, so the
        // fast shutdown goes to the postmaster itself, whose PID is the first line of postmaster.pid.
        var pidFile = Path.Combine(directory, "data", "postmaster.pid");
        if (process.IsRunning && File.Exists(pidFile) && int.TryParse(File.ReadLines(pidFile).First(), NumberStyles.None, CultureInfo.InvariantCulture, out var postmaster))
        {
            using var interrupt = Process.Start("kill", ["-INT", postmaster.ToString(CultureInfo.InvariantCulture)]);
            await interrupt.WaitForExitAsync();
        }

        await process.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }

    // The port opens while the postmaster is still recovering ("the database system is starting up"); pg_isready
    // exits 0 only once it accepts connections.
    private static async Task WaitAcceptingConnectionsAsync(int port, ServerProcess server, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        var isReady = Path.Combine(BinDirectory, "pg_isready");
        while (true)
        {
            var info = new ProcessStartInfo(isReady) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var argument in new[] { "-h", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture), "-U", "postgres", "-t", "2" })
            {
                info.ArgumentList.Add(argument);
            }

            using (var probe = Process.Start(info) ?? throw new InvalidOperationException("pg_isready did not start."))
            {
                await probe.WaitForExitAsync(cancellationToken);
                if (probe.ExitCode == 0)
                {
                    return;
                }
            }

            if (!server.IsRunning || DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"PostgreSQL on port {port} did not accept connections within 30 s:\n{server.Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static async Task RunAsync(string executable, IEnumerable<string> arguments, CancellationToken cancellationToken)
    {
        var path = ServerProcess.Which(executable) ?? throw new InvalidOperationException($"'{executable}' is not installed.");
        var info = new ProcessStartInfo(path) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var run = Process.Start(info) ?? throw new InvalidOperationException($"'{executable}' did not start.");
        var stdout = run.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = run.StandardError.ReadToEndAsync(cancellationToken);
        await run.WaitForExitAsync(cancellationToken);
        if (run.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{executable} {string.Join(' ', info.ArgumentList)}' failed with code {run.ExitCode}:\n{await stdout}{await stderr}");
        }
    }
}
