using Iot.Analytics.Rejections;

using Microsoft.Extensions.DependencyInjection;

namespace Iot.Analytics.Tests.Api;

public sealed class SensorApiTests : ApiTest
{
    [Fact]
    public async Task Sensors_are_listed_with_type_room_online_state_and_latest_values()
    {
        Live("t1", ("temperature", 21.5), ("door", true));
        Time.Advance(TimeSpan.FromMinutes(3));
        Live("h1", ("watts", 40L));

        var list = await Host.GetJsonAsync("/sensors");

        Assert.Equal(3, list["total"]!.GetValue<int>());
        var items = list["items"]!.AsArray();
        Assert.Equal(["h1", "t1", "t2"], items.Select(i => i!["id"]!.GetValue<string>()));
        var h1 = items[0]!;
        Assert.Equal(("meter", "hall", true), (h1["type"]!.GetValue<string>(), h1["room"]!.GetValue<string>(), h1["online"]!.GetValue<bool>()));
        Assert.Equal(40, h1["values"]!["watts"]!.GetValue<long>());
        var t1 = items[1]!;
        Assert.False(t1["online"]!.GetValue<bool>()); // silent for 3 minutes, 2m heartbeat
        Assert.Equal(21.5, t1["values"]!["temperature"]!.GetValue<double>());
        Assert.True(t1["values"]!["door"]!.GetValue<bool>());
        Assert.Equal(Now, t1["lastSeen"]!.GetValue<DateTimeOffset>());
        Assert.Null(items[2]!["lastSeen"]);
        Assert.Null(list["next"]);
    }

    [Fact]
    public async Task The_sensor_list_filters_by_room_and_pages_with_a_next_link()
    {
        var lab = await Host.GetJsonAsync("/sensors?room=lab-1&limit=1");

        Assert.Equal(2, lab["total"]!.GetValue<int>());
        Assert.Equal("t1", lab["items"]![0]!["id"]!.GetValue<string>());
        var next = lab["next"]!.GetValue<string>();
        Assert.Equal("/sensors?room=lab-1&limit=1&after=t1", next);

        var second = await Host.GetJsonAsync(next);
        Assert.Equal("t2", Assert.Single(second["items"]!.AsArray())!["id"]!.GetValue<string>());
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task Raw_data_comes_back_oldest_first_bounded_with_a_link_to_the_rest()
    {
        await StoreAsync("t1", "lab-1", Now.AddMinutes(-150), Now, TimeSpan.FromMinutes(1), i => i);

        var first = await Host.GetJsonAsync("/sensors/t1/data?from=now-3h&fields=temperature");

        var points = first["points"]!.AsArray();
        Assert.Equal(100, points.Count); // Analytics:MaxPoints
        Assert.Equal(Now.AddMinutes(-150), points[0]!["time"]!.GetValue<DateTimeOffset>());
        Assert.Equal(0.0, points[0]!["values"]!["temperature"]!.GetValue<double>());
        Assert.Null(points[0]!["values"]!["watts"]);
        Assert.Equal("lab-1_raw", Assert.Single(first["sources"]!.AsArray())!["policy"]!.GetValue<string>());

        var second = await Host.GetJsonAsync(first["next"]!.GetValue<string>());
        var rest = second["points"]!.AsArray();
        Assert.Equal(50, rest.Count);
        Assert.Equal(100.0, rest[0]!["values"]!["temperature"]!.GetValue<double>());
        Assert.Null(second["next"]);
    }

    [Fact]
    public async Task With_a_step_data_is_aggregated_per_bucket_and_field()
    {
        await StoreAsync("t1", "lab-1", Now.AddHours(-2), Now, TimeSpan.FromMinutes(1), i => i < 60 ? 10 : 20);

        var data = await Host.GetJsonAsync("/sensors/t1/data?from=now-2h&step=1h&aggregate=max");

        Assert.Equal(("1h", "max"), (data["step"]!.GetValue<string>(), data["aggregate"]!.GetValue<string>()));
        var points = data["points"]!.AsArray();
        Assert.Equal(2, points.Count);
        Assert.Equal(10.0, points[0]!["values"]!["temperature"]!.GetValue<double>());
        Assert.Equal(59.0, points[0]!["values"]!["watts"]!.GetValue<double>());
        Assert.Equal(20.0, points[1]!["values"]!["temperature"]!.GetValue<double>());
    }

    [Fact]
    public async Task Rejections_come_from_the_rejection_source()
    {
        var at = Now.AddMinutes(-1);
        await using var host = await AnalyticsHost.StartAsync(Time, services: s => s.AddSingleton<IRejectionSource>(new FixedRejections(new Rejection(at, "out_of_range", "temperature", "500 is above the maximum 125", "{\"temperature\":500}"))));
        host.Get<Iot.Analytics.Inventory.DeviceInventory>().Put(Resources.Device("t1", "lab-1"));

        var body = await host.GetJsonAsync("/sensors/t1/rejections");

        var rejection = Assert.Single(body["rejections"]!.AsArray())!;
        Assert.Equal(("out_of_range", "temperature", "500 is above the maximum 125", at), (rejection["reason"]!.GetValue<string>(), rejection["field"]!.GetValue<string>(), rejection["detail"]!.GetValue<string>(), rejection["at"]!.GetValue<DateTimeOffset>()));
    }

    [Theory]
    [InlineData("/sensors/nope/data", 404, "There is no Device 'nope' in namespace 'ns1'.")]
    [InlineData("/sensors/nope/rejections", 404, "There is no Device 'nope' in namespace 'ns1'.")]
    [InlineData("/sensors/t1/data?from=yesterday", 400, "from: 'yesterday' is not an ISO-8601 time")]
    [InlineData("/sensors/t1/data?from=now-1h&to=now-2h", 400, "must be before to")]
    [InlineData("/sensors/t1/data?step=0s", 400, "step: '0s' is not a duration")]
    [InlineData("/sensors/t1/data?step=fast", 400, "step: 'fast' is not a duration")]
    [InlineData("/sensors/t1/data?step=1h&aggregate=median", 400, "'median' is not an aggregate")]
    [InlineData("/sensors/t1/data?aggregate=max", 400, "aggregate needs a step")]
    [InlineData("/sensors/t1/data?fields=temperature,1bad", 400, "'1bad' is not a field name")]
    [InlineData("/sensors?limit=0", 400, "limit must be between 1 and 100")]
    public async Task Bad_requests_are_answered_with_a_problem_saying_what_is_wrong(string path, int status, string says)
    {
        var problem = await Host.GetProblemAsync(path, status);

        Assert.Contains(says, problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        if (status == 400)
        {
            Assert.NotEmpty(problem["errors"]!.AsObject());
        }
    }

    private sealed class FixedRejections(params Rejection[] rejections) : IRejectionSource
    {
        public ValueTask<IReadOnlyList<Rejection>> LatestAsync(string device, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyList<Rejection>>(device == "t1" ? rejections : []);
    }
}
