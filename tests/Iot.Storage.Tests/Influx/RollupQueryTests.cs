using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

namespace Iot.Storage.Tests.Influx;

[Collection(InfluxCollection.Name)]
public sealed class RollupQueryTests(InfluxFixture influx)
{
    [Fact]
    public void A_rooms_rollup_is_the_documented_continuous_query_in_influxds_own_spelling()
    {
        var query = RollupQuery.ForRoom("ns1", "lab-1", TimeSpan.FromMinutes(5));

        Assert.Equal("lab-1_5m", query.Name);
        Assert.Equal(
            "CREATE CONTINUOUS QUERY \"lab-1_5m\" ON ns1 BEGIN SELECT mean(*), min(*), max(*), count(*) INTO ns1.\"lab-1_5m\".:MEASUREMENT " +
            "FROM ns1.\"lab-1_raw\"./.*/ GROUP BY time(5m), * END",
            query.Query);
    }

    [Fact]
    public void Rollup_policy_names_use_the_shortest_interval_spelling()
    {
        Assert.Equal("lab-1_1h", RetentionPolicyNames.Rollup("lab-1", TimeSpan.FromMinutes(60)));
        Assert.Equal("lab-1_1d", RetentionPolicyNames.Rollup("lab-1", TimeSpan.FromHours(24)));
        Assert.Equal("lab-1_raw", RetentionPolicyNames.Raw("lab-1"));
        Assert.Equal("default_raw", RetentionPolicyNames.Raw(null));
    }

    [Theory]
    [InlineData("rollupplain", "lab-1", 5)]
    [InlineData("default", "lab-1", 60)]
    [InlineData("rollup-dash", "room_2", 7 * 24 * 60)]
    public async Task Show_continuous_queries_returns_the_query_exactly_as_built(string database, string room, int everyMinutes)
    {
        var every = TimeSpan.FromMinutes(everyMinutes);
        await influx.Client.CreateDatabaseAsync(database);
        try
        {
            await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy(RetentionPolicyNames.Raw(room), TimeSpan.FromDays(7), TimeSpan.Zero));
            await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy(RetentionPolicyNames.Rollup(room, every), TimeSpan.FromDays(90), TimeSpan.Zero));
            var built = RollupQuery.ForRoom(database, room, every);

            await influx.Client.CreateContinuousQueryAsync(built);

            Assert.Equal(built, Assert.Single(await influx.Client.ShowContinuousQueriesAsync(database)));
        }
        finally
        {
            await influx.Client.DropDatabaseAsync(database);
        }
    }

    [Fact]
    public async Task A_continuous_query_is_dropped()
    {
        var database = await influx.CreateDatabaseAsync();
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("r_raw", TimeSpan.FromDays(7), TimeSpan.Zero));
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("r_5m", TimeSpan.FromDays(7), TimeSpan.Zero));
        await influx.Client.CreateContinuousQueryAsync(RollupQuery.ForRoom(database, "r", TimeSpan.FromMinutes(5)));

        await influx.Client.DropContinuousQueryAsync(database, "r_5m");

        Assert.Empty(await influx.Client.ShowContinuousQueriesAsync(database));
    }

    // The same statement with a one-second interval, so that influxd's scheduler runs it within the test.
    [Fact]
    public async Task The_rollup_writes_mean_min_max_and_count_of_every_field_per_device_into_the_rollup_policy()
    {
        var database = await influx.CreateDatabaseAsync();
        var every = TimeSpan.FromSeconds(1);
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("lab-1_raw", TimeSpan.FromDays(7), TimeSpan.Zero));
        await influx.Client.CreateRetentionPolicyAsync(database, new RetentionPolicy("lab-1_1s", TimeSpan.FromDays(7), TimeSpan.Zero));
        await influx.Client.CreateContinuousQueryAsync(RollupQuery.ForRoom(database, "lab-1", every));
        var bucket = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 2);
        var tags = new Dictionary<string, string?> { ["device"] = "d1", ["room"] = "lab-1", ["type"] = "thermo" };
        InfluxPoint Point(int ms, double temperature, long humidity) =>
            new("telemetry", tags, new Dictionary<string, TelemetryValue> { ["temperature"] = temperature, ["humidity"] = humidity }, bucket.AddMilliseconds(ms));

        await influx.Client.WriteAsync(database, "lab-1_raw", [Point(100, 20, 40), Point(200, 22, 44), Point(300, 27, 45)]);

        var row = await PollAsync(database, $"SELECT * FROM \"lab-1_1s\".telemetry WHERE time = {InfluxQL.TimeLiteral(bucket)}");
        Assert.Equal(23L, row["mean_temperature"]);
        Assert.Equal(20L, row["min_temperature"]);
        Assert.Equal(27L, row["max_temperature"]);
        Assert.Equal(3L, row["count_temperature"]);
        Assert.Equal(43L, row["mean_humidity"]);
        Assert.Equal(40L, row["min_humidity"]);
        Assert.Equal("d1", row["device"]);
        Assert.Equal("lab-1", row["room"]);
    }

    private async Task<Dictionary<string, object?>> PollAsync(string database, string query)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var series = await influx.Client.QueryAsync(database, query);
            if (series is [{ Values: [var row] } s])
            {
                return s.Columns.Zip(row).ToDictionary(c => c.First, c => c.Second);
            }

            Assert.True(DateTime.UtcNow < deadline, "the continuous query wrote nothing into the rollup policy within 15 s");
            await Task.Delay(200);
        }
    }
}
