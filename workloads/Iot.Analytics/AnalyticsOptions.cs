namespace Iot.Analytics;

/// <summary>
/// Settings of the analytics workload, bound from the configuration section <c>Analytics</c> (environment:
/// <c>IOT_Analytics__Namespace</c>, <c>IOT_Analytics__Mqtt__Host</c>, …). The time-series store is configured apart,
/// in section <c>TimeSeries</c> (see <c>AddIotTimeSeriesStore</c>).
/// </summary>
public sealed class AnalyticsOptions
{
    /// <summary>The configuration section.</summary>
    public const string Section = "Analytics";

    /// <summary>The Kubernetes namespace served: its Devices and Rooms, its InfluxDB database.</summary>
    public string Namespace { get; set; } = "";

    /// <summary>The bearer token every API request must carry (the <c>token</c> key of the <c>iot-api-token</c> Secret).</summary>
    public string ApiToken { get; set; } = "";

    /// <summary>The broker analytics reads live telemetry, rejections and alert events from.</summary>
    public AnalyticsMqttOptions Mqtt { get; set; } = new();

    /// <summary>How the reports are stored.</summary>
    public ReportStoreOptions Reports { get; set; } = new();

    /// <summary>Where active alerts and alert counts come from.</summary>
    public AlertSourceOptions Alerts { get; set; } = new();

    /// <summary>A Device without <c>spec.heartbeat.timeout</c> is offline after this long without a message.</summary>
    public TimeSpan DefaultHeartbeatTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>The most points (or list items) one response holds; longer results link to their next page.</summary>
    public int MaxPoints { get; set; } = 1_000;

    /// <summary>
    /// How long after an interval ends its rollup may still be missing (InfluxDB runs a continuous query when the
    /// interval has ended): history reads the intervals that ended less than this long ago from raw points.
    /// </summary>
    public TimeSpan RollupLag { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Keep the Devices and Rooms of <see cref="Namespace"/> from the Kubernetes API (informers). False: whoever
    /// embeds analytics fills <see cref="Inventory.DeviceInventory"/> itself (tests, single-process setups).
    /// </summary>
    public bool WatchKubernetes { get; set; } = true;
}

/// <summary>Where the broker is and how analytics subscribes to it.</summary>
public sealed class AnalyticsMqttOptions
{
    /// <summary>False runs without live data (no MQTT connection; readiness does not wait for one).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The broker's host name.</summary>
    public string Host { get; set; } = "localhost";

    /// <summary>The broker's MQTT port.</summary>
    public int Port { get; set; } = 1883;

    /// <summary>The internal workload user name; empty connects anonymously (a broker that allows it).</summary>
    public string? Username { get; set; } = Iot.Api.Common.WorkloadSecrets.InternalUsername;

    /// <summary>Its password (the <c>password</c> key of the <c>iot-internal-credentials</c> Secret).</summary>
    public string? Password { get; set; }

    /// <summary>
    /// The shared-subscription group of the telemetry subscription (<c>$share/&lt;group&gt;/devices/+/telemetry</c>).
    /// Every replica in one group sees a share of the telemetry, so live room metrics need one replica per group.
    /// </summary>
    public string ShareGroup { get; set; } = "analytics";

    /// <summary>The first wait before reconnecting after the connection failed; doubles up to 30 s.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
}

/// <summary>Where reports are kept: PostgreSQL when a connection string is set, else an SQLite file.</summary>
public sealed class ReportStoreOptions
{
    /// <summary>An Npgsql connection string (<c>Host=…;Database=…;Username=…;Password=…</c>); the operator passes <c>IOT_POSTGRES_DSN</c>.</summary>
    public string? Postgres { get; set; }

    /// <summary>The SQLite file used when <see cref="Postgres"/> is not set.</summary>
    public string SqlitePath { get; set; } = "reports.db";
}

/// <summary>Where the summary's active alerts and the reports' alert counts come from.</summary>
public sealed class AlertSourceOptions
{
    /// <summary>
    /// <c>mqtt</c> (the default; none when MQTT is off): the alert events on the internal bus since analytics started; <c>events</c>:
    /// notify's event store (the <c>IEventStore</c> registered in the process, else PostgreSQL at <see cref="Postgres"/>,
    /// else SQLite at <see cref="SqlitePath"/>); <c>none</c>: no alerts.
    /// </summary>
    public string Source { get; set; } = "mqtt";

    /// <summary>Notify's PostgreSQL database (usually the same DSN as the reports').</summary>
    public string? Postgres { get; set; }

    /// <summary>Notify's SQLite file.</summary>
    public string? SqlitePath { get; set; }
}
