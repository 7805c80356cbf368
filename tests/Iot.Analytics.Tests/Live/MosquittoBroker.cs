using System.Globalization;

namespace Iot.Analytics.Tests.Live;

/// <summary>
/// A real mosquitto 2 on loopback (anonymous, MQTT 3.1.1 and 5, shared subscriptions), in a temp dir, stopped by PID.
/// A minimal stand-in until tests/Iot.Testing has its own Mosquitto fixture.
/// </summary>
internal sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly TempDirectory directory;
    private readonly ServerProcess process;

    private MosquittoBroker(TempDirectory directory, ServerProcess process, int port)
    {
        this.directory = directory;
        this.process = process;
        Port = port;
    }

    public int Port { get; }

    public static async Task<MosquittoBroker> StartAsync()
    {
        var directory = new TempDirectory();
        try
        {
            var port = FreePort.Next();
            var config = directory.Write("mosquitto.conf", $"""
                listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1
                allow_anonymous true
                user root
                log_dest stderr
                persistence false
                """);
            var process = await ServerProcess.StartAsync("mosquitto", ["-c", config], port);
            return new MosquittoBroker(directory, process, port);
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
