namespace Iot.Analytics.Tests.Api;

public sealed class RoomApiTests : ApiTest
{
    [Fact]
    public async Task Rooms_are_listed_with_device_counts_metrics_and_retention()
    {
        Live("t1", ("temperature", 20.0));

        var rooms = (await Host.GetJsonAsync("/rooms"))["items"]!.AsArray();

        Assert.Equal(["hall", "lab-1"], rooms.Select(r => r!["id"]!.GetValue<string>()));
        var lab = rooms[1]!;
        Assert.Equal((2, 1, "LAB-1"), (lab["devices"]!.GetValue<int>(), lab["online"]!.GetValue<int>(), lab["displayName"]!.GetValue<string>()));
        Assert.Equal(["temperature", "hottest", "power", "reporting"], lab["metrics"]!.AsArray().Select(m => m!.GetValue<string>()));
        Assert.Equal("7d", lab["retention"]!["raw"]!.GetValue<string>());
        Assert.Equal(("1h", "90d"), (lab["retention"]!["rollups"]![0]!["every"]!.GetValue<string>(), lab["retention"]!["rollups"]![0]!["keep"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Room_metrics_are_the_live_aggregates_of_the_rooms_devices()
    {
        Live("t1", ("temperature", 20.0), ("watts", 100L));
        Live("t2", ("temperature", 23.0), ("watts", 50L));
        Live("h1", ("temperature", 99.0));

        var now = await Host.GetJsonAsync("/rooms/lab-1/metrics");

        Assert.Equal(("lab-1", 2, 2), (now["room"]!.GetValue<string>(), now["devices"]!.GetValue<int>(), now["online"]!.GetValue<int>()));
        var metrics = now["metrics"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>(), m => m!["value"]!.GetValue<double>());
        Assert.Equal(21.5, metrics["temperature"]);
        Assert.Equal(23.0, metrics["hottest"]);
        Assert.Equal(150.0, metrics["power"]);
        Assert.Equal(2.0, metrics["reporting"]);
    }

    [Fact]
    public async Task History_is_the_metrics_aggregate_over_the_rooms_values_per_step_and_names_its_source()
    {
        await StoreAsync("t1", "lab-1", Now.AddHours(-3), Now, TimeSpan.FromMinutes(10), i => 20);
        await StoreAsync("t2", "lab-1", Now.AddHours(-3), Now, TimeSpan.FromMinutes(10), i => i < 6 ? 24 : 22);
        await StoreAsync("h1", "hall", Now.AddHours(-3), Now, TimeSpan.FromMinutes(10), i => 99);

        var history = await Host.GetJsonAsync("/rooms/lab-1/history?metric=temperature&from=now-3h&step=1h");

        Assert.Equal(("temperature", "mean", "1h"), (history["field"]!.GetValue<string>(), history["aggregate"]!.GetValue<string>(), history["step"]!.GetValue<string>()));
        Assert.Equal([22.0, 21.0, 21.0], history["points"]!.AsArray().Select(p => p!["value"]!.GetValue<double>()));
        Assert.Equal(Now.AddHours(-3), history["points"]![0]!["time"]!.GetValue<DateTimeOffset>());

        // The 1-hour rollup serves a 1-hour step; the last hour (its rollup may not be written yet) is read raw.
        var sources = history["sources"]!.AsArray();
        Assert.Equal(["lab-1_1h", "lab-1_raw"], sources.Select(s => s!["policy"]!.GetValue<string>()));
        Assert.Equal(("rollup", "1h"), (sources[0]!["kind"]!.GetValue<string>(), sources[0]!["resolution"]!.GetValue<string>()));
        Assert.Equal(Now.AddHours(-1), sources[1]!["from"]!.GetValue<DateTimeOffset>());
    }

    [Fact]
    public async Task Long_history_is_paged_at_the_bucket_limit()
    {
        await StoreAsync("t1", "lab-1", Now.AddHours(-3), Now, TimeSpan.FromMinutes(1), i => i);

        var first = await Host.GetJsonAsync("/rooms/lab-1/history?metric=hottest&from=now-3h&step=1m");

        Assert.Equal(100, first["points"]!.AsArray().Count);
        Assert.Equal(Now.AddHours(-3).AddMinutes(100), first["to"]!.GetValue<DateTimeOffset>());
        var second = await Host.GetJsonAsync(first["next"]!.GetValue<string>());
        Assert.Equal(80, second["points"]!.AsArray().Count);
        Assert.Equal(100.0, second["points"]![0]!["value"]!.GetValue<double>());
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task Without_a_step_history_takes_a_round_step_within_the_bucket_limit()
    {
        var history = await Host.GetJsonAsync("/rooms/lab-1/history?metric=temperature&from=now-1d");

        Assert.Equal("15m", history["step"]!.GetValue<string>());
        Assert.Empty(history["points"]!.AsArray());
    }

    [Theory]
    [InlineData("/rooms/nope/metrics", 404, "There is no Room 'nope' in namespace 'ns1'.")]
    [InlineData("/rooms/nope/history?metric=temperature", 404, "There is no Room 'nope'")]
    [InlineData("/rooms/lab-1/history", 400, "metric is required: name one of Room 'lab-1''s metrics; it has temperature, hottest, power, reporting")]
    [InlineData("/rooms/lab-1/history?metric=humidity", 400, "Room 'lab-1' has no metric 'humidity'; it has temperature")]
    [InlineData("/rooms/lab-1/history?metric=temperature&from=now-30d&step=1m", 400, "step 1m is finer than the data kept from")]
    [InlineData("/rooms/lab-1/history?metric=temperature&to=2026-13-01", 400, "to: '2026-13-01' is not an ISO-8601 time")]
    [InlineData("/rooms?limit=1000", 400, "limit must be between 1 and 100")]
    public async Task Bad_requests_are_answered_with_a_problem_saying_what_is_wrong(string path, int status, string says)
    {
        var problem = await Host.GetProblemAsync(path, status);

        Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }
}
