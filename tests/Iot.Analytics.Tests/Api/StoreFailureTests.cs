using System.Globalization;

using Iot.Analytics.Inventory;

namespace Iot.Analytics.Tests.Api;

public sealed class StoreFailureTests
{
    [Fact]
    public async Task An_unreachable_time_series_store_is_a_503_problem_naming_the_failure_while_live_routes_still_answer()
    {
        var closed = FreePort.Next();
        await using var host = await AnalyticsHost.StartAsync(new ManualTimeProvider(), new Dictionary<string, string?>
        {
            ["TimeSeries:Influx:Url"] = $"http://127.0.0.1:{closed.ToString(CultureInfo.InvariantCulture)}",
            ["TimeSeries:Influx:Timeout"] = "00:00:05",
        });
        host.Get<DeviceInventory>().Put(Resources.Room("lab-1"));

        var problem = await host.GetProblemAsync("/rooms/lab-1/history?metric=temperature", 503);

        Assert.Equal("Store unavailable", problem["title"]!.GetValue<string>());
        Assert.StartsWith("A store analytics reads from failed: ", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(0, (await host.GetJsonAsync("/rooms/lab-1/metrics"))["devices"]!.GetValue<int>());
    }
}
