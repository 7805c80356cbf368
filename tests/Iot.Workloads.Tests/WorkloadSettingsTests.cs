namespace Iot.Workloads.Tests;

public sealed class WorkloadSettingsTests
{
    private static readonly Dictionary<string, string?> Operator = new()
    {
        ["IOT_NAMESPACE"] = "plant",
        ["IOT_MQTT_HOST"] = "iot-broker.plant.svc",
        ["IOT_MQTT_PORT"] = "1883",
        ["IOT_INTERNAL_USERNAME"] = "iot-internal",
        ["IOT_INTERNAL_PASSWORD"] = "secret",
        ["IOT_API_TOKEN"] = "token",
    };

    [Fact]
    public void The_operator_contract_reaches_every_component_section()
    {
        var settings = WorkloadSettings.FromEnvironment(Operator, [WorkloadComponents.Ingest], "/data");

        foreach (var section in new[] { "Broker", "Ingest", "Analytics", "Notify" })
        {
            Assert.Equal("plant", settings[$"{section}:Namespace"]);
        }

        foreach (var client in new[] { "Ingest:Mqtt", "Analytics:Mqtt", "Notify:Mqtt" })
        {
            Assert.Equal(("iot-broker.plant.svc", "1883", "iot-internal", "secret"), (settings[$"{client}:Host"], settings[$"{client}:Port"], settings[$"{client}:Username"], settings[$"{client}:Password"]));
        }

        Assert.Equal(("token", "token"), (settings["Analytics:ApiToken"], settings["Notify:ApiToken"]));
    }

    [Fact]
    public void Without_InfluxDB_and_PostgreSQL_everything_is_kept_in_SQLite_files_under_the_data_directory()
    {
        var settings = WorkloadSettings.FromEnvironment(Operator, [WorkloadComponents.Analytics], "/data");

        Assert.Equal(Path.Combine("/data", "telemetry.db"), settings["TimeSeries:Sqlite:Path"]);
        Assert.Equal(("sqlite", Path.Combine("/data", "notify.db")), (settings["Notify:Store:Provider"], settings["Notify:Store:Path"]));
        Assert.Equal(Path.Combine("/data", "reports.db"), settings["Analytics:Reports:SqlitePath"]);
        Assert.False(settings.ContainsKey("TimeSeries:Influx:Url"));
        Assert.False(settings.ContainsKey("Analytics:Alerts:Source")); // notify's file is in another pod: alerts come over MQTT
    }

    [Fact]
    public void Analytics_beside_notify_reads_active_alerts_from_its_event_store()
    {
        var settings = WorkloadSettings.FromEnvironment(Operator, [WorkloadComponents.Analytics, WorkloadComponents.Notify], "/data");

        Assert.Equal(("events", Path.Combine("/data", "notify.db")), (settings["Analytics:Alerts:Source"], settings["Analytics:Alerts:SqlitePath"]));
    }

    [Fact]
    public void InfluxDB_and_PostgreSQL_are_used_when_given()
    {
        var environment = new Dictionary<string, string?>(Operator)
        {
            ["IOT_INFLUXDB_URL"] = "http://influxdb:8086",
            ["IOT_INFLUXDB_USERNAME"] = "iot",
            ["IOT_INFLUXDB_PASSWORD"] = "pw",
            ["IOT_POSTGRES_DSN"] = "Host=pg;Database=iot",
        };

        var settings = WorkloadSettings.FromEnvironment(environment, [WorkloadComponents.Notify], "/data");

        Assert.Equal(("http://influxdb:8086", "iot", "pw"), (settings["TimeSeries:Influx:Url"], settings["TimeSeries:Influx:Username"], settings["TimeSeries:Influx:Password"]));
        Assert.Equal(Path.Combine("/data", "spool"), settings["TimeSeries:Writer:SpoolDirectory"]);
        Assert.False(settings.ContainsKey("TimeSeries:Sqlite:Path"));
        Assert.Equal(("postgres", "Host=pg;Database=iot"), (settings["Notify:Store:Provider"], settings["Notify:Store:ConnectionString"]));
        Assert.Equal(("Host=pg;Database=iot", "events", "Host=pg;Database=iot"), (settings["Analytics:Reports:Postgres"], settings["Analytics:Alerts:Source"], settings["Analytics:Alerts:Postgres"]));
    }

    [Fact]
    public void An_unset_variable_leaves_the_components_default()
    {
        var settings = WorkloadSettings.FromEnvironment(new Dictionary<string, string?> { ["IOT_NAMESPACE"] = "plant" }, [WorkloadComponents.Broker], "/data");

        Assert.False(settings.ContainsKey("Broker:InternalUsername"));
        Assert.False(settings.ContainsKey("Ingest:Mqtt:Password"));
        Assert.Equal("127.0.0.1", settings["Ingest:Mqtt:Host"]);
    }

    [Theory]
    [InlineData("IOT_NAMESPACE", "", "IOT_NAMESPACE is required")]
    [InlineData("IOT_MQTT_PORT", "mqtt", "IOT_MQTT_PORT 'mqtt' is not a port number")]
    public void A_missing_or_malformed_variable_is_named(string variable, string value, string says)
    {
        var environment = new Dictionary<string, string?>(Operator) { [variable] = value };

        var error = Assert.Throws<InvalidOperationException>(() => WorkloadSettings.FromEnvironment(environment, [WorkloadComponents.Broker], "/data"));

        Assert.StartsWith(says, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "all" }, new[] { "broker", "ingest", "analytics", "notify" })]
    [InlineData(new[] { "notify,Broker", "broker" }, new[] { "broker", "notify" })]
    [InlineData(new[] { "ingest" }, new[] { "ingest" })]
    public void Components_are_named_singly_in_lists_or_all(string[] names, string[] expected) =>
        Assert.Equal(expected, WorkloadComponents.Parse(names));

    [Theory]
    [InlineData(new[] { "gateway" }, "unknown component 'gateway'")]
    [InlineData(new string[0], "no component given")]
    public void Unknown_or_missing_components_are_refused(string[] names, string says) =>
        Assert.StartsWith(says, Assert.Throws<ArgumentException>(() => WorkloadComponents.Parse(names)).Message, StringComparison.Ordinal);
}
