using System.Globalization;

namespace Iot.Workloads;

/// <summary>
/// The operator's environment contract (the <c>IOT_*</c> variables its Deployments set) turned into the configuration
/// sections the components read: <c>Broker</c>, <c>Ingest</c>, <c>Analytics</c>, <c>Notify</c> and <c>TimeSeries</c>.
/// Without InfluxDB, telemetry goes to SQLite; without PostgreSQL, notify's events and analytics' reports go to SQLite —
/// all under the data directory (an emptyDir in a pod, whose root filesystem is read-only).
/// </summary>
public static class WorkloadSettings
{
    /// <summary>The namespace the components serve (required).</summary>
    public const string Namespace = "IOT_NAMESPACE";

    /// <summary>The broker's host for the MQTT clients (ingest, analytics, notify).</summary>
    public const string MqttHost = "IOT_MQTT_HOST";

    /// <summary>The broker's MQTT port.</summary>
    public const string MqttPort = "IOT_MQTT_PORT";

    /// <summary>The internal workload user name on the broker.</summary>
    public const string InternalUsername = "IOT_INTERNAL_USERNAME";

    /// <summary>The internal password (clients).</summary>
    public const string InternalPassword = "IOT_INTERNAL_PASSWORD";

    /// <summary>The internal password's salted hash (the broker checks against it).</summary>
    public const string InternalPasswordHash = "IOT_INTERNAL_PASSWORD_HASH";

    /// <summary>The bearer token of the analytics and notify APIs.</summary>
    public const string ApiToken = "IOT_API_TOKEN";

    /// <summary>InfluxDB's URL; unset means the embedded SQLite time-series store.</summary>
    public const string InfluxDbUrl = "IOT_INFLUXDB_URL";

    /// <summary>InfluxDB's user name.</summary>
    public const string InfluxDbUsername = "IOT_INFLUXDB_USERNAME";

    /// <summary>InfluxDB's password.</summary>
    public const string InfluxDbPassword = "IOT_INFLUXDB_PASSWORD";

    /// <summary>PostgreSQL's connection string (Npgsql form); unset means SQLite files.</summary>
    public const string PostgresDsn = "IOT_POSTGRES_DSN";

    /// <summary>
    /// The configuration of <paramref name="components"/> from <paramref name="environment"/>. Values a component does
    /// not use are set anyway (they are harmless), so one mapping serves every combination.
    /// </summary>
    /// <exception cref="InvalidOperationException">A required variable is missing or malformed; the message names it.</exception>
    public static Dictionary<string, string?> FromEnvironment(IReadOnlyDictionary<string, string?> environment, IReadOnlyCollection<string> components, string dataDirectory)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(components);
        string? Get(string name) => environment.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

        var ns = Get(Namespace) ?? throw new InvalidOperationException($"{Namespace} is required: the namespace whose Devices, EdgeRules and AlertRoutes this process serves.");
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var clients = new[] { "Ingest:Mqtt", "Analytics:Mqtt", "Notify:Mqtt" };
        foreach (var section in new[] { "Broker", "Ingest", "Analytics", "Notify" })
        {
            settings[$"{section}:Namespace"] = ns;
        }

        if (Get(MqttPort) is { } port && !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            throw new InvalidOperationException($"{MqttPort} '{port}' is not a port number.");
        }

        foreach (var client in clients)
        {
            settings[$"{client}:Host"] = Get(MqttHost) ?? "127.0.0.1";
            settings[$"{client}:Port"] = Get(MqttPort) ?? "1883";
            settings[$"{client}:Username"] = Get(InternalUsername);
            settings[$"{client}:Password"] = Get(InternalPassword);
        }

        settings["Broker:InternalUsername"] = Get(InternalUsername);
        settings["Broker:InternalPassword"] = Get(InternalPassword);
        settings["Broker:InternalPasswordHash"] = Get(InternalPasswordHash);
        settings["Analytics:ApiToken"] = Get(ApiToken);
        settings["Notify:ApiToken"] = Get(ApiToken);

        if (Get(InfluxDbUrl) is { } influx)
        {
            settings["TimeSeries:Influx:Url"] = influx;
            settings["TimeSeries:Influx:Username"] = Get(InfluxDbUsername);
            settings["TimeSeries:Influx:Password"] = Get(InfluxDbPassword);
            settings["TimeSeries:Writer:SpoolDirectory"] = Path.Combine(dataDirectory, "spool");
        }
        else
        {
            settings["TimeSeries:Sqlite:Path"] = Path.Combine(dataDirectory, "telemetry.db");
        }

        if (Get(PostgresDsn) is { } dsn)
        {
            settings["Notify:Store:Provider"] = "postgres";
            settings["Notify:Store:ConnectionString"] = dsn;
            settings["Analytics:Reports:Postgres"] = dsn;
            settings["Analytics:Alerts:Source"] = "events";
            settings["Analytics:Alerts:Postgres"] = dsn;
        }
        else
        {
            var events = Path.Combine(dataDirectory, "notify.db");
            settings["Notify:Store:Provider"] = "sqlite";
            settings["Notify:Store:Path"] = events;
            settings["Analytics:Reports:SqlitePath"] = Path.Combine(dataDirectory, "reports.db");

            // Notify's SQLite file is only readable by analytics in the same process; apart, analytics follows the bus.
            if (components.Contains(WorkloadComponents.Notify))
            {
                settings["Analytics:Alerts:Source"] = "events";
                settings["Analytics:Alerts:SqlitePath"] = events;
            }
        }

        // An unset variable leaves the component's own default (e.g. the internal user name) in place.
        foreach (var unset in settings.Where(s => s.Value is null).Select(s => s.Key).ToList())
        {
            settings.Remove(unset);
        }

        return settings;
    }

    /// <summary>The process environment as a dictionary.</summary>
    public static IReadOnlyDictionary<string, string?> ProcessEnvironment() =>
        Environment.GetEnvironmentVariables().Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string?)e.Value, StringComparer.Ordinal);
}
