using Microsoft.Extensions.DependencyInjection;

namespace Iot.Workloads;

/// <summary>What one workloads host runs and where: the components, the operator's environment, ports and data directory.</summary>
/// <param name="Components">The components (see <see cref="WorkloadComponents"/>).</param>
/// <param name="Environment">The <c>IOT_*</c> contract (see <see cref="WorkloadSettings"/>).</param>
public sealed record WorkloadLaunch(IReadOnlyList<string> Components, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>The address the HTTP listeners bind.</summary>
    public string BindAddress { get; init; } = "0.0.0.0";

    /// <summary>The API port (ingest's <c>POST /sensors/data</c>, the analytics and notify APIs).</summary>
    public int HttpPort { get; init; } = 8080;

    /// <summary>The management port (<c>/metrics</c>, <c>/healthz</c>, <c>/readyz</c>).</summary>
    public int MetricsPort { get; init; } = 9090;

    /// <summary>Where SQLite files and InfluxDB's spool are kept.</summary>
    public string DataDirectory { get; init; } = Path.Combine(Path.GetTempPath(), "iot");

    /// <summary>Configuration keys set over the mapped environment (e.g. <c>Broker:Port</c>).</summary>
    public IReadOnlyDictionary<string, string?> Overrides { get; init; } = new Dictionary<string, string?>();

    /// <summary>Services registered before the components' (an <c>IKubernetes</c>, a <see cref="TimeProvider"/>).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
