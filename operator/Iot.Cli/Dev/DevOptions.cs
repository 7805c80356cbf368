using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Iot.Cli.Dev;

/// <summary>How <see cref="DevEnvironment"/> runs the platform on one machine.</summary>
public sealed record DevOptions
{
    /// <summary>Where the kubeconfig, endpoints.json and the workloads' data go.</summary>
    public string Directory { get; init; } = ".iot";

    /// <summary>The CRD manifests installed at start-up.</summary>
    public string CrdDirectory { get; init; } = "crds";

    /// <summary>Manifests applied at start-up (null: none).</summary>
    public string? ExamplesDirectory { get; init; } = "examples";

    /// <summary>InfluxDB 1.x URL for telemetry and Room retention (null: a SQLite file per namespace).</summary>
    public string? InfluxDbUrl { get; init; }

    /// <summary>PostgreSQL connection string for notify and analytics (null: a SQLite file per namespace).</summary>
    public string? PostgresDsn { get; init; }

    /// <summary>Whether to run the fleet simulator for the Devices with password credentials.</summary>
    public bool Simulator { get; init; } = true;

    /// <summary>Telemetry messages per second, per simulated device.</summary>
    public double Rate { get; init; } = 1;

    /// <summary>The chance that one reading of one field is a spike (so that rules fire now and then).</summary>
    public double SpikeProbability { get; init; } = 0.01;

    /// <summary>How often the simulator looks for Devices that joined or left.</summary>
    public TimeSpan FleetRefresh { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The MQTT port of the first namespace's broker, written into Device credentials (0: a free port).</summary>
    public int MqttPort { get; init; }

    /// <summary>Where the components' and the operator's logs go.</summary>
    public ILoggerFactory Loggers { get; init; } = NullLoggerFactory.Instance;
}
