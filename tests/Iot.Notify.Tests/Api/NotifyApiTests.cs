using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

using Iot.Notify.Alerts;
using Iot.Notify.Routes;
using Iot.Notify.Tests.Support;

using Microsoft.Extensions.DependencyInjection;

using static Iot.Notify.Tests.Support.TestRoutes;

namespace Iot.Notify.Tests.Api;

public sealed class NotifyApiTests : IAsyncLifetime
{
    private readonly TempDirectory directory = new();
    private readonly ManualTimeProvider time = new();
    private HttpTarget target = null!;
    private NotifyHost host = null!;

    public async Task InitializeAsync()
    {
        target = await HttpTarget.StartAsync();
        var routes = new InMemoryRouteSource(
            Route("critical", priority: 10, matchers: ["severity=\"critical\""], groupWait: "30s", receivers: [Webhook("pager", target.Url)]),
            Route("lab", priority: 20, matchers: ["room=~\"lab-.*\""], receivers: [Webhook("lab-hook", target.Url)]));
        host = await NotifyHost.StartAsync(routes, time, new Dictionary<string, string?>
        {
            ["Notify:Store:Provider"] = "sqlite",
            ["Notify:Store:Path"] = Path.Combine(directory.Path, "notify.db"),
        });
    }

    public async Task DisposeAsync()
    {
        await host.DisposeAsync();
        await target.DisposeAsync();
        directory.Dispose();
    }

    [Theory]
    [InlineData(null)]
    [InlineData("wrong-token-0123456789")]
    public async Task Requests_without_the_right_bearer_token_are_refused_with_problem_json(string? token)
    {
        using var anonymous = new HttpClient { BaseAddress = host.Url };
        if (token is not null)
        {
            anonymous.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        var response = await anonymous.GetAsync("/alerts");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task Readiness_reports_the_store_migrated_and_routes_synced()
    {
        var response = await host.Client.GetAsync("/readyz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Active_alerts_are_listed_with_the_silences_that_mute_them_and_can_be_acknowledged()
    {
        var alert = Firing("overheat", "thermo-1", "lab-1", null, ("severity", "critical"));
        await Intake(alert);
        await Intake(Resolved(Firing("overheat", "thermo-2", "lab-1"), time.GetUtcNow()));
        var silence = await host.Client.PostAsJsonAsync("/silences", new { matchers = new[] { "device=\"thermo-1\"" }, duration = "1h", createdBy = "alice", comment = "maintenance" });
        Assert.Equal(HttpStatusCode.Created, silence.StatusCode);
        var silenceId = (await silence.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

        var alerts = (await host.Client.GetFromJsonAsync<JsonElement>("/alerts")).GetProperty("alerts");
        var listed = Assert.Single(alerts.EnumerateArray());
        Assert.Equal(alert.Fingerprint, listed.GetProperty("alert").GetProperty("fingerprint").GetString());
        Assert.Equal([silenceId], listed.GetProperty("silencedBy").EnumerateArray().Select(s => s.GetString()));
        Assert.Equal(2, (await host.Client.GetFromJsonAsync<JsonElement>("/alerts?status=all")).GetProperty("alerts").GetArrayLength());

        var ack = await host.Client.PostAsJsonAsync($"/alerts/{alert.Fingerprint}/ack", new { by = "bob", comment = "looking" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.Equal("bob", (await ack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("acknowledgedBy").GetString());
        var unknown = await host.Client.PostAsync("/alerts/0000000000000000/ack", null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("application/problem+json", unknown.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_silence_created_through_the_api_keeps_its_alerts_out_of_notifications()
    {
        var silence = await host.Client.PostAsJsonAsync("/silences", new { matchers = new[] { "device=~\"thermo-1|thermo-3\"" }, duration = "1h", createdBy = "alice" });
        Assert.Equal(HttpStatusCode.Created, silence.StatusCode);
        await Intake(Firing("overheat", "thermo-1", "lab-1"));
        await Intake(Firing("overheat", "thermo-2", "lab-1"));

        time.Advance(TimeSpan.FromSeconds(30));

        await Eventually.TrueAsync(() => target.Accepted.Count() == 1, "the lab route's group is notified");
        using var body = JsonDocument.Parse(target.Accepted.Single().Body);
        Assert.Equal(["thermo-2"], body.RootElement.GetProperty("alerts").EnumerateArray().Select(a => a.GetProperty("labels").GetProperty("device").GetString()));
    }

    [Fact]
    public async Task A_silence_with_bad_fields_is_a_400_naming_each_field()
    {
        var response = await host.Client.PostAsJsonAsync("/silences", new { matchers = new[] { "device=\"t1\"", "severity==critical" }, duration = "soon" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.Equal(["createdBy", "duration", "matchers[1]"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Contains("there is no ==", errors.GetProperty("matchers[1]")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_saying_so()
    {
        var response = await host.Client.PostAsync("/silences", new StringContent("{\"matchers\": [1,", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var errors = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.StartsWith("invalid JSON", errors.EnumerateObject().Single().Value[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_deleted_silence_stops_muting_and_cannot_be_deleted_twice()
    {
        var created = await host.Client.PostAsJsonAsync("/silences", new { matchers = new[] { "room=\"lab-1\"" }, endsAt = time.GetUtcNow().AddHours(2), createdBy = "alice" });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
        Assert.Single((await host.Client.GetFromJsonAsync<JsonElement>("/silences")).GetProperty("silences").EnumerateArray());

        Assert.Equal(HttpStatusCode.NoContent, (await host.Client.DeleteAsync($"/silences/{id}")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.DeleteAsync($"/silences/{id}")).StatusCode);

        Assert.Empty((await host.Client.GetFromJsonAsync<JsonElement>("/silences")).GetProperty("silences").EnumerateArray());
        Assert.Empty(host.Dispatcher.SilencedBy(new Dictionary<string, string> { ["room"] = "lab-1" }));
        var types = (await host.Client.GetFromJsonAsync<JsonElement>("/events?type=silence.")).GetProperty("events").EnumerateArray().Select(e => e.GetProperty("type").GetString());
        Assert.Equal(["silence.expired", "silence.created"], types);
    }

    [Fact]
    public async Task Events_are_filtered_by_device_and_rule_and_paged_with_a_cursor()
    {
        for (var i = 0; i < 3; i++)
        {
            await Intake(Firing("overheat", $"thermo-{i}", "lab-1"));
        }

        await Intake(Firing("door-open", "door-1", "hall"));

        var page1 = await host.Client.GetFromJsonAsync<JsonElement>("/events?rule=overheat&limit=2");
        var page2 = await host.Client.GetFromJsonAsync<JsonElement>($"/events?rule=overheat&limit=2&cursor={page1.GetProperty("next").GetString()}");
        var devices = page1.GetProperty("events").EnumerateArray().Concat(page2.GetProperty("events").EnumerateArray()).Select(e => e.GetProperty("device").GetString());
        Assert.Equal(["thermo-2", "thermo-1", "thermo-0"], devices);
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("next").ValueKind);
        var door = (await host.Client.GetFromJsonAsync<JsonElement>("/events?device=door-1&type=alert.firing")).GetProperty("events");
        Assert.Equal("door-open on door-1 firing: door-open on door-1", Assert.Single(door.EnumerateArray()).GetProperty("message").GetString());

        var bad = await host.Client.GetAsync("/events?limit=0&from=yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Equal(["from", "limit"], (await bad.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    [Fact]
    public async Task Route_test_says_which_routes_and_receivers_labels_reach_and_why()
    {
        var result = await host.Client.GetFromJsonAsync<JsonElement>("/routes/test?labels=severity=critical,room=lab-1");

        var routes = result.GetProperty("routes").EnumerateArray().ToList();
        Assert.Equal(["critical", "lab"], routes.Select(r => r.GetProperty("route").GetString()));
        Assert.True(routes[0].GetProperty("matched").GetBoolean());
        Assert.Equal("pager", routes[0].GetProperty("receivers")[0].GetProperty("name").GetString());
        Assert.Equal("not tried: route critical matched before it without continue", routes[1].GetProperty("reason").GetString());

        var bad = await host.Client.GetAsync("/routes/test?labels=severity");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }

    [Fact]
    public async Task An_ad_hoc_message_goes_through_a_named_receiver_or_the_routes_its_labels_match()
    {
        var named = await host.Client.PostAsJsonAsync("/notifications/send", new { receiver = "pager", title = "Drill", message = "fire drill at 10:00" });
        Assert.Equal(HttpStatusCode.Accepted, named.StatusCode);
        await Eventually.TrueAsync(() => target.Accepted.Count() == 1, "the message is delivered");
        using (var body = JsonDocument.Parse(target.Accepted.Single().Body))
        {
            Assert.Equal(("message", "Drill", "fire drill at 10:00", "pager"), (
                body.RootElement.GetProperty("kind").GetString(), body.RootElement.GetProperty("title").GetString(),
                body.RootElement.GetProperty("message").GetString(), body.RootElement.GetProperty("receiver").GetString()));
        }

        var routed = await host.Client.PostAsJsonAsync("/notifications/send", new { message = "lab closed", labels = new { room = "lab-2" } });
        var queued = (await routed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("notifications");
        Assert.Equal("lab-hook", Assert.Single(queued.EnumerateArray()).GetProperty("receiver").GetString());

        Assert.Equal(HttpStatusCode.NotFound, (await host.Client.PostAsJsonAsync("/notifications/send", new { receiver = "nobody", message = "x" })).StatusCode);
        var unrouted = await host.Client.PostAsJsonAsync("/notifications/send", new { labels = new { room = "hall" } });
        Assert.Equal(HttpStatusCode.BadRequest, unrouted.StatusCode);
        Assert.Equal(["labels", "message"], (await unrouted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(e => e.Name).Order());
    }

    private Task Intake(Iot.Api.Alerts.AlertEvent alert) => host.Services.GetRequiredService<AlertIntake>().HandleAsync(alert, CancellationToken.None);
}
