using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

using Iot.Analytics.Alerts;

using Microsoft.Extensions.DependencyInjection;

namespace Iot.Analytics.Tests.Api;

public sealed class ReportApiTests : ApiTest
{
    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();

        // The last day: t1 reports every minute at 20 °C, t2 at 30 °C for the first 12 hours only.
        await StoreAsync("t1", "lab-1", Now.AddDays(-1), Now, TimeSpan.FromMinutes(1), _ => 20);
        await StoreAsync("t2", "lab-1", Now.AddDays(-1), Now.AddHours(-12), TimeSpan.FromMinutes(1), _ => 30);
    }

    [Fact]
    public async Task A_report_holds_per_room_statistics_alert_counts_and_device_uptime_and_is_stored()
    {
        using var created = await Host.Client.PostAsJsonAsync("/analytics/reports", new { from = "now-1d", rooms = new[] { "lab-1" } });
        var report = JsonNode.Parse(await created.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = report["id"]!.GetValue<string>();
        Assert.Equal($"/analytics/reports/{id}", created.Headers.Location!.ToString());
        Assert.Equal((Now.AddDays(-1), Now, "test"), (report["from"]!.GetValue<DateTimeOffset>(), report["to"]!.GetValue<DateTimeOffset>(), report["alertSource"]!.GetValue<string>()));
        var lab = Assert.Single(report["rooms"]!.AsArray())!;
        Assert.Equal(("lab-1", 2, 2), (lab["room"]!.GetValue<string>(), lab["devices"]!.GetValue<int>(), lab["alertsFired"]!.GetValue<int>()));

        var metrics = lab["metrics"]!.AsArray().ToDictionary(m => m!["name"]!.GetValue<string>());
        var temperature = metrics["temperature"]!;
        Assert.Equal(((1440 * 20.0) + (720 * 30.0)) / 2160, temperature["value"]!.GetValue<double>(), 9);
        Assert.Equal((20.0, 30.0, 2160L), (temperature["min"]!.GetValue<double>(), temperature["max"]!.GetValue<double>(), temperature["count"]!.GetValue<long>()));
        Assert.Equal(30.0, metrics["hottest"]!["value"]!.GetValue<double>());
        Assert.Equal((1439 * 1440 / 2) + (719 * 720 / 2), metrics["power"]!["value"]!.GetValue<double>());
        Assert.Equal(2160.0, metrics["reporting"]!["value"]!.GetValue<double>());

        var uptime = lab["uptime"]!.AsArray().ToDictionary(u => u!["device"]!.GetValue<string>(), u => u!["uptime"]!.GetValue<double>());
        Assert.Equal(1.0, uptime["t1"]);
        Assert.Equal(0.5, uptime["t2"]);
        Assert.Equal(0.75, lab["meanUptime"]!.GetValue<double>());
        Assert.Equal("2m", lab["uptime"]![0]!["interval"]!.GetValue<string>());

        var stored = await Host.GetJsonAsync($"/analytics/reports/{id}");
        Assert.True(JsonNode.DeepEquals(report, stored), $"stored: {stored}\ncreated: {report}");
    }

    [Fact]
    public async Task A_report_is_served_as_CSV_when_asked_for()
    {
        var id = await CreateAsync();

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/analytics/reports/{id}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await Host.Client.SendAsync(request);
        var lines = (await response.Content.ReadAsStringAsync()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("room,subject,statistic,value", lines[0]);
        Assert.Contains($",report,from,{Now.AddDays(-1).UtcDateTime:O}", lines);
        Assert.Contains(",report,alert_source,test", lines);
        Assert.Contains("lab-1,room,alerts_fired,2", lines);
        Assert.Contains("lab-1,room,devices,2", lines);
        Assert.Contains("lab-1,metric:hottest,value,30", lines);
        Assert.Contains("lab-1,metric:temperature,count,2160", lines);
        Assert.Contains("lab-1,device:t1,uptime,1", lines);
        Assert.Contains("lab-1,device:t2,uptime,0.5", lines);
        Assert.Contains("hall,room,devices,1", lines);
        Assert.Contains("hall,metric:temperature,value,", lines);
        Assert.Contains("hall,device:h1,uptime,0", lines);
    }

    [Fact]
    public async Task Reports_of_unknown_rooms_bad_periods_and_unknown_ids_are_refused_with_a_problem()
    {
        using var unknownRoom = await Host.Client.PostAsJsonAsync("/analytics/reports", new { rooms = new[] { "lab-1", "attic" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknownRoom.StatusCode);
        Assert.Contains("no such Room in namespace 'ns1': attic", await unknownRoom.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var backwards = await Host.Client.PostAsJsonAsync("/analytics/reports", new { from = "now", to = "now-1d" });
        Assert.Equal(HttpStatusCode.BadRequest, backwards.StatusCode);
        Assert.Contains("must be before to", await backwards.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var missing = await Host.GetProblemAsync("/analytics/reports/0193d1c2-0000-7000-8000-000000000000", 404);
        Assert.Contains("There is no report", missing["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<IActiveAlertSource>(new FiredInLab());

    private async Task<string> CreateAsync()
    {
        using var created = await Host.Client.PostAsJsonAsync("/analytics/reports", new { from = "now-1d" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        return JsonNode.Parse(await created.Content.ReadAsStringAsync())!["id"]!.GetValue<string>();
    }

    private sealed class FiredInLab : IActiveAlertSource
    {
        public string Name => "test";

        public ValueTask<int> CountActiveAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult(0);

        public ValueTask<IReadOnlyDictionary<string, int>> CountFiredByRoomAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<IReadOnlyDictionary<string, int>>(new Dictionary<string, int> { ["lab-1"] = 2, ["hall"] = 1 });
    }
}
