using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

namespace Iot.Storage.Tests.Influx;

[Collection(InfluxCollection.Name)]
public sealed class InfluxClientTests(InfluxFixture influx)
{
    private static readonly DateTimeOffset Time = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Odd_names_and_strings_survive_a_round_trip_through_influxd()
    {
        var database = await influx.CreateDatabaseAsync();
        var tags = new Dictionary<string, string?> { ["tag key,=x"] = "va lue,=\"q\"", ["plain"] = "a\\b", ["üñí"] = "çødé" };
        var fields = new Dictionary<string, TelemetryValue>
        {
            ["field key,=x"] = "quote \" backslash \\ comma , equals = space",
            ["trailing"] = "ends with \\",
            ["newline"] = "line1\nline2",
            ["int"] = long.MinValue,
            ["float"] = 0.1 + 0.2,
            ["bool"] = false,
        };

        await influx.Client.WriteAsync(database, null, [new InfluxPoint("meas urement,odd", tags, fields, Time)]);

        var series = Assert.Single(await influx.Client.QueryAsync(database, "SELECT * FROM " + InfluxQL.Identifier("meas urement,odd")));
        Assert.Equal("meas urement,odd", series.Name);
        var row = Assert.Single(series.Values);
        object? Column(string name) => row[series.ColumnIndex(name)];
        Assert.Equal(LineProtocol.ToEpoch(Time, InfluxPrecision.Nanoseconds), Column("time"));
        Assert.Equal("va lue,=\"q\"", Column("tag key,=x"));
        Assert.Equal("a\\b", Column("plain"));
        Assert.Equal("çødé", Column("üñí"));
        Assert.Equal("quote \" backslash \\ comma , equals = space", Column("field key,=x"));
        Assert.Equal("ends with \\", Column("trailing"));
        Assert.Equal("line1\nline2", Column("newline"));
        Assert.Equal(long.MinValue, Column("int"));
        Assert.Equal(0.1 + 0.2, Column("float"));
        Assert.Equal(false, Column("bool"));
    }

    [Fact]
    public async Task An_error_inside_a_200_response_is_an_exception_with_influxds_message()
    {
        var error = await Assert.ThrowsAsync<InfluxException>(() => influx.Client.QueryAsync("no-such-database", "SELECT * FROM telemetry"));

        Assert.Equal("database not found: no-such-database", error.Message);
    }

    [Fact]
    public async Task A_later_statement_failing_is_an_exception_too()
    {
        var database = await influx.CreateDatabaseAsync();

        var error = await Assert.ThrowsAsync<InfluxException>(() => influx.Client.QueryAsync(database, "SHOW MEASUREMENTS; SHOW RETENTION POLICIES ON \"no-such-database\""));

        Assert.Equal("database not found: no-such-database", error.Message);
    }

    [Fact]
    public async Task A_syntax_error_is_an_exception_with_the_parser_message()
    {
        var error = await Assert.ThrowsAsync<InfluxException>(() => influx.Client.QueryAsync(null, "SELECT bad syntax ("));

        Assert.StartsWith("error parsing query", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_write_into_a_missing_database_is_a_client_error()
    {
        var point = new InfluxPoint("m", new Dictionary<string, string?>(), new Dictionary<string, TelemetryValue> { ["v"] = 1.0 }, Time);

        var error = await Assert.ThrowsAsync<InfluxException>(() => influx.Client.WriteAsync("no-such-database", null, [point]));

        Assert.True(error.IsClientError);
        Assert.Contains("database not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Writes_to_an_unreachable_server_are_connection_errors()
    {
        using var client = new InfluxClient(new InfluxOptions { Url = new Uri($"http://127.0.0.1:{FreePort.Next()}") });
        var point = new InfluxPoint("m", new Dictionary<string, string?>(), new Dictionary<string, TelemetryValue> { ["v"] = 1.0 }, Time);

        await Assert.ThrowsAsync<HttpRequestException>(() => client.WriteAsync("db", null, [point]));
        Assert.False(await client.PingAsync());
    }

    [Fact]
    public async Task Databases_are_created_listed_and_dropped()
    {
        var database = await influx.CreateDatabaseAsync("scratch");
        Assert.Contains(database, await influx.Client.ShowDatabasesAsync());

        await influx.Client.DropDatabaseAsync(database);

        Assert.DoesNotContain(database, await influx.Client.ShowDatabasesAsync());
    }

    [Fact]
    public async Task Retention_policies_round_trip_with_their_durations()
    {
        var database = await influx.CreateDatabaseAsync("default");
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(7), TimeSpan.FromDays(1)));
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("lab-1_5m", TimeSpan.FromDays(90), TimeSpan.Zero));
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("forever", TimeSpan.Zero, TimeSpan.Zero, Default: true));

        var policies = await influx.Client.ShowRetentionPoliciesAsync(database);

        Assert.Contains(new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(7), TimeSpan.FromDays(1)), policies);
        Assert.Contains(new RetentionPolicy("lab-1_5m", TimeSpan.FromDays(90), TimeSpan.FromDays(1)), policies);
        Assert.Contains(new RetentionPolicy("forever", TimeSpan.Zero, TimeSpan.FromDays(7), 1, Default: true), policies);
    }

    [Fact]
    public async Task A_retention_policy_is_altered_and_dropped()
    {
        var database = await influx.CreateDatabaseAsync();
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(7), TimeSpan.FromDays(1)));

        await influx.Client.AlterRetentionPolicyAsync(database, new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(30), TimeSpan.FromHours(12)));
        Assert.Contains(new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(30), TimeSpan.FromHours(12)), await influx.Client.ShowRetentionPoliciesAsync(database));

        await influx.Client.DropRetentionPolicyAsync(database, "lab-1_raw");
        Assert.DoesNotContain(await influx.Client.ShowRetentionPoliciesAsync(database), p => p.Name == "lab-1_raw");
    }

    [Fact]
    public async Task Creating_a_conflicting_retention_policy_says_so()
    {
        var database = await influx.CreateDatabaseAsync();
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("p", TimeSpan.FromDays(7), TimeSpan.Zero));

        var error = await Assert.ThrowsAsync<InfluxException>(() => influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("p", TimeSpan.FromDays(8), TimeSpan.Zero)));

        Assert.Contains("retention policy already exists", error.Message, StringComparison.Ordinal);
    }
}
