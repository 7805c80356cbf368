using System.Globalization;
using System.Net;

namespace Iot.Testing;

/// <summary>
/// A real influxd 1.x on loopback for tests: its own config, meta, data and WAL directories in a temp dir, every
/// listener bound to 127.0.0.1 (HTTP on a free port, the backup/restore RPC on another; UDP, Graphite, collectd and
/// OpenTSDB off), usage reporting off. Ready when <c>/ping</c> answers 204; stopped by PID when disposed. It can be
/// stopped and started again on the same port and data (to test what clients do while InfluxDB is down). Start one
/// per test class or collection and give each test its own database.
/// </summary>
public sealed class InfluxDbServer : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly string configFile;
    private ServerProcess? process;

    private InfluxDbServer(TempDirectory directory, string configFile, int port)
    {
        this.directory = directory;
        this.configFile = configFile;
        Port = port;
    }

    /// <summary>The HTTP port on 127.0.0.1.</summary>
    public int Port { get; }

    /// <summary>The HTTP API's base address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}");

    /// <summary>True while influxd runs.</summary>
    public bool IsRunning => process is { IsRunning: true };

    /// <summary>The server's log so far (for failure messages).</summary>
    public string Output => process?.Output ?? "";

    /// <summary>Writes a config into a new temp dir and starts influxd; a missing binary is an exception saying so.</summary>
    public static async Task<InfluxDbServer> StartAsync(CancellationToken cancellationToken = default)
    {
        if (ServerProcess.Which("influxd") is null)
        {
            throw new InvalidOperationException("'influxd' is not installed (run `make deps`, which installs the Debian package influxdb).");
        }

        var directory = new TempDirectory();
        try
        {
            var port = FreePort.Next();
            var config = directory.Write("influxdb.conf", Config(directory.Path, port, FreePort.Next()));
            var server = new InfluxDbServer(directory, config, port);
            await server.StartAgainAsync(cancellationToken);
            return server;
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <summary>Stops influxd (SIGTERM, then SIGKILL) and keeps its data for <see cref="StartAgainAsync"/>.</summary>
    public async Task StopAsync()
    {
        if (process is not null)
        {
            await process.DisposeAsync();
            process = null;
        }
    }

    /// <summary>Starts influxd again on the same port and data directory and waits until <c>/ping</c> answers.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken = default)
    {
        if (process is not null)
        {
            throw new InvalidOperationException("influxd is already running.");
        }

        process = await ServerProcess.StartAsync("influxd", ["run", "-config", configFile], Port, TimeSpan.FromSeconds(30), cancellationToken: cancellationToken);
        try
        {
            await WaitForPingAsync(cancellationToken);
        }
        catch
        {
            await StopAsync();
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        directory.Dispose();
    }

    // The port accepts connections a moment before the HTTP service answers; /ping's 204 is influxd's own readiness signal.
    private async Task WaitForPingAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            try
            {
                using var response = await http.GetAsync(new Uri(Url, "/ping"), cancellationToken);
                if (response.StatusCode == HttpStatusCode.NoContent)
                {
                    return;
                }
            }
            catch (Exception e) when ((e is HttpRequestException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested)) && DateTime.UtcNow < deadline)
            {
                // Not listening yet, or too slow to answer on a loaded machine: ask again until the deadline.
            }

            if (DateTime.UtcNow >= deadline)
            {
                throw new TimeoutException($"influxd did not answer /ping with 204 within 30 s:\n{Output}");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    private static string Config(string root, int httpPort, int rpcPort) => $"""
        reporting-disabled = true
        bind-address = "127.0.0.1:{rpcPort}"

        [meta]
          dir = "{root}/meta"
          logging-enabled = false

        [data]
          dir = "{root}/data"
          wal-dir = "{root}/wal"
          query-log-enabled = false

        [monitor]
          store-enabled = false

        [http]
          enabled = true
          bind-address = "127.0.0.1:{httpPort}"
          log-enabled = false
          pprof-enabled = false

        [continuous_queries]
          enabled = true
          log-enabled = false
          run-interval = "1s"

        [[udp]]
          enabled = false

        [[graphite]]
          enabled = false

        [[collectd]]
          enabled = false

        [[opentsdb]]
          enabled = false
        """;
}
