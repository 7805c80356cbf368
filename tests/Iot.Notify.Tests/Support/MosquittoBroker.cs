using System.Globalization;

namespace Iot.Notify.Tests.Support;

/// <summary>A real Mosquitto on loopback (anonymous, in memory), stopped by PID.</summary>
public sealed class MosquittoBroker : IAsyncDisposable
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
            var conf = directory.Write("mosquitto.conf", string.Join('\n',
                $"listener {port.ToString(CultureInfo.InvariantCulture)} 127.0.0.1", "allow_anonymous true", "user root", "log_dest stderr", "persistence false", ""));
            var process = await ServerProcess.StartAsync("mosquitto", ["-c", conf], port);
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
