using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

using Iot.Ingest.Telemetry;
using Iot.Ingest.Tests.Support;

namespace Iot.Ingest.Tests.Http;

/// <summary><c>POST /sensors/data</c> for devices that cannot speak MQTT.</summary>
[Collection(IngestCollection.Name)]
public sealed class SensorDataTests(IngestFixture fixture)
{
    private const string Password = "thermo-password-0123456789abcdef";

    [Fact]
    public async Task Telemetry_posted_with_the_devices_credentials_is_accepted_with_the_number_of_points()
    {
        var (ns, ingest) = await StartAsync();
        await using var _ = ingest;

        var today = DateTime.UtcNow.Date.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
        using var response = await PostAsync(ingest, "thermo-1", Password, $$$"""
            [{"device_id":"thermo-1","timestamp":"{{{today}}}","data":{"temperature":21.5}},
             {"temperature":22,"humidity":40}]
            """);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal(2, (await ReadJsonAsync(response)).GetProperty("points").GetInt32());
        await ingest.Store.FlushAsync();
        Assert.Equal(2, (await fixture.QueryAsync(ns, """SELECT * FROM "lab-1_raw".telemetry WHERE device = 'thermo-1'""")).Count);
        Assert.Equal(2, ingest.Metrics.Messages(RejectionReasons.Accepted));
        Assert.NotNull(ingest.LastSeen.LastSeen("thermo-1"));
    }

    [Fact]
    public async Task Invalid_telemetry_is_a_400_validation_problem_naming_each_field_and_nothing_is_stored()
    {
        var (ns, ingest) = await StartAsync();
        await using var _ = ingest;

        using var response = await PostAsync(ingest, "thermo-1", Password, """[{"temperature":200}, {"temperature":20}, {"temperature":20,"humidity":"wet","color":"red"}]""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await ReadJsonAsync(response);
        var errors = problem.GetProperty("errors");
        Assert.Equal(["[0].temperature", "[2].color", "[2].humidity"], errors.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Contains("above the maximum 125", errors.GetProperty("[0].temperature")[0].GetString(), StringComparison.Ordinal);
        var reasons = problem.GetProperty("reasons");
        Assert.Equal(
            [RejectionReasons.OutOfRange, RejectionReasons.UnknownField, RejectionReasons.TypeMismatch],
            new[] { "[0].temperature", "[2].color", "[2].humidity" }.Select(p => reasons.GetProperty(p).GetString()));

        await ingest.Store.FlushAsync();
        Assert.Empty(await fixture.QueryAsync(ns, """SELECT * FROM "lab-1_raw".telemetry"""));
        Assert.Equal(0, ingest.Metrics.Messages(RejectionReasons.Accepted));
        Assert.Equal(1, ingest.Metrics.Messages(RejectionReasons.OutOfRange));
        Assert.Equal(RejectionReasons.OutOfRange, Assert.Single(ingest.Rejections.Latest("thermo-1")).Reason);
    }

    [Fact]
    public async Task Requests_without_valid_device_credentials_are_401_with_a_basic_challenge()
    {
        var (_, ingest) = await StartAsync();
        await using var _ = ingest;
        const string body = """{"temperature":21}""";

        using var none = await ingest.Http.PostAsync(new Uri("/sensors/data", UriKind.Relative), new StringContent(body, Encoding.UTF8, "application/json"));
        using var wrongPassword = await PostAsync(ingest, "thermo-1", "not-the-password", body);
        using var unknownDevice = await PostAsync(ingest, "ghost-9", Password, body);
        using var noSecret = await PostAsync(ingest, "thermo-2", Password, body);

        Assert.All([none, wrongPassword, unknownDevice, noSecret], r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
        Assert.Equal("Basic", none.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal(0, ingest.Metrics.Messages(RejectionReasons.Accepted));
    }

    [Fact]
    public async Task A_disabled_device_or_one_posting_telemetry_of_another_device_is_403()
    {
        var (_, ingest) = await StartAsync();
        await using var _ = ingest;

        using var disabled = await PostAsync(ingest, "thermo-3", Password, """{"temperature":21}""");
        using var impostor = await PostAsync(ingest, "thermo-1", Password, """{"device_id":"thermo-3","data":{"temperature":21}}""");

        Assert.Equal((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden), (disabled.StatusCode, impostor.StatusCode));
        Assert.Contains("disabled", (await ReadJsonAsync(disabled)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("only its own telemetry", (await ReadJsonAsync(impostor)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(RejectionReasons.DeviceMismatch, Assert.Single(ingest.Rejections.Latest("thermo-1")).Reason);
        Assert.Equal(RejectionReasons.DeviceDisabled, Assert.Single(ingest.Rejections.Latest("thermo-3")).Reason);
    }

    // thermo-1 and the disabled thermo-3 have credentials; thermo-2 has none issued yet.
    private async Task<(string Namespace, IngestHost Ingest)> StartAsync()
    {
        var ns = await fixture.CreateNamespaceAsync("lab-1");
        foreach (var (id, disabled) in new[] { ("thermo-1", false), ("thermo-2", false), ("thermo-3", true) })
        {
            await fixture.CreateDeviceAsync(ns, $$"""
                metadata: {name: {{id}}}
                spec:
                  type: thermostat
                  room: lab-1
                  disabled: {{(disabled ? "true" : "false")}}
                  telemetry:
                    - {name: temperature, type: number, min: -40, max: 125}
                    - {name: humidity, type: number, min: 0, max: 100}
                """);
        }

        await fixture.CreateCredentialsAsync(ns, "thermo-1", Password);
        await fixture.CreateCredentialsAsync(ns, "thermo-3", Password);
        return (ns, await IngestHost.StartAsync(fixture, ns));
    }

    private static Task<HttpResponseMessage> PostAsync(IngestHost ingest, string device, string password, string body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/sensors/data", UriKind.Relative))
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{device}:{password}")));
        return ingest.Http.SendAsync(request);
    }

    private static async Task<JsonElement> ReadJsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
}
