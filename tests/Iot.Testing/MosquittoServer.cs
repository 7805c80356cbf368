using System.Globalization;

namespace Iot.Testing;

/// <summary>
/// A real Mosquitto 2.0 broker on a free loopback port, with a generated config (anonymous access, no persistence, logs
/// to stderr, runs as root where the tests do), stopped by its PID when disposed.
/// </summary>
public sealed class MosquittoServer : IAsyncDisposable
{
    private readonly ServerProcess process;
    private readonly TempDirectory directory;

    private MosquittoServer(ServerProcess process, TempDirectory directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    /// <summary>The port it listens on (127.0.0.1).</summary>
    public int Port { get; }

    /// <summary>The broker's PID.</summary>
    public int Pid => process.Pid;

    /// <summary>What it logged so far.</summary>
    public string Output => process.Output;

    /// <summary>
    /// Starts mosquitto with <paramref name="extraConfig"/> lines appended to the generated config (e.g.
    /// <c>max_queued_messages 100000</c>, or <c>password_file …</c> with <c>allow_anonymous false</c>).
    /// </summary>
    public static async Task<MosquittoServer> StartAsync(IEnumerable<string>? extraConfig = null, CancellationToken cancellationToken = default)
    {
        var directory = new TempDirectory();
        try
        {
            var port = FreePort.Next();
            var extra = (extraConfig ?? []).ToList();
            var lines = new List<string>
            {
                $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
                "persistence false",
                "log_dest stderr",
                "log_type error",
                "log_type warning",
            };
            if (!extra.Any(l => l.StartsWith("allow_anonymous", StringComparison.Ordinal)))
            {
                lines.Add("allow_anonymous true");
            }

            if (Environment.UserName == "root")
            {
                lines.Add("user root");
            }

            lines.AddRange(extra);
            var config = directory.Write("mosquitto.conf", string.Join('\n', lines) + "\n");
            var process = await ServerProcess.StartAsync("mosquitto", ["-c", config], port, cancellationToken: cancellationToken);
            return new MosquittoServer(process, directory, port);
        }
        catch
        {
            directory.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await process.DisposeAsync();
        directory.Dispose();
    }
}
