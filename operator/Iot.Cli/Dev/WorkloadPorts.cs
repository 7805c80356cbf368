using System.Collections.Concurrent;

namespace Iot.Cli.Dev;

/// <summary>
/// The loopback ports of the workloads dev mode runs: one MQTT port per namespace, an API and a management port per
/// component. Kept for the whole run, so a restarted component comes back where it was.
/// </summary>
internal sealed class WorkloadPorts(int firstMqttPort)
{
    private readonly ConcurrentDictionary<string, int> ports = new(StringComparer.Ordinal);
    private int firstMqtt = firstMqttPort;

    /// <summary>The MQTT port of <paramref name="ns"/>'s broker; the first namespace asked for gets the configured port.</summary>
    public int Mqtt(string ns) => ports.GetOrAdd($"{ns}/mqtt", _ => Interlocked.Exchange(ref firstMqtt, 0) is > 0 and var port ? port : FreePort());

    /// <summary>The API port of a component.</summary>
    public int Http(string ns, string component) => ports.GetOrAdd($"{ns}/{component}/http", _ => FreePort());

    /// <summary>The management port (/metrics, /healthz, /readyz) of a component.</summary>
    public int Metrics(string ns, string component) => ports.GetOrAdd($"{ns}/{component}/metrics", _ => FreePort());

    /// <summary>Every port handed out.</summary>
    public IReadOnlyCollection<int> All => [.. ports.Values];

    /// <summary>A port no one listens on now (the OS picks it; it is released at once).</summary>
    public static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }
}
