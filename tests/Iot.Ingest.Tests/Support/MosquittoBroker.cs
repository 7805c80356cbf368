using System.Globalization;

namespace Iot.Ingest.Tests.Support;

/// <summary>
/// A real Mosquitto 2.0 on a free loopback port (anonymous, no persistence, logs to stderr), stopped by its PID when
/// disposed. The broker stands in for ours until it is in main; Mosquitto supports MQTT 5 and <c>$share/</c>.
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly ServerProcess process;
    private readonly TempDirectory directory;

    private MosquittoBroker(ServerProcess process, TempDirectory directory, int port)
    {
        this.process = process;
        this.directory = directory;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync()
    {
        var directory = new TempDirectory();
        try
        {
            var port = FreePort.Next();
            var config = directory.Write("mosquitto.conf", string.Join('\n',
                $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "max_queued_messages 100000",
                "log_dest stderr",
                "log_type error",
                Environment.UserName == "root" ? "user root" : "") + "\n");
            return new MosquittoBroker(await ServerProcess.StartAsync("mosquitto", ["-c", config], port), directory, port);
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
}
