using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Iot.Analytics.Tests.Api;

public sealed class AccessTests : ApiTest
{
    [Theory]
    [InlineData("/sensors")]
    [InlineData("/sensors/t1/data")]
    [InlineData("/sensors/t1/rejections")]
    [InlineData("/rooms")]
    [InlineData("/rooms/lab-1/metrics")]
    [InlineData("/rooms/lab-1/history?metric=temperature")]
    [InlineData("/analytics/summary")]
    [InlineData("/analytics/trends?metric=temperature")]
    [InlineData("/analytics/reports/x")]
    public async Task Every_route_refuses_a_request_without_the_bearer_token(string path)
    {
        using var client = Host.AnonymousClient();
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Authorization: Bearer <token>", JsonNode.Parse(await response.Content.ReadAsStringAsync())!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_token_is_refused_and_a_report_cannot_be_created_without_one()
    {
        using var client = Host.AnonymousClient();
        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/sensors");
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        using var refused = await client.SendAsync(wrong);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);

        using var post = new HttpRequestMessage(HttpMethod.Post, "/analytics/reports") { Content = new StringContent("{}", null, "application/json") };
        post.Headers.Authorization = new AuthenticationHeaderValue("Basic", "dXNlcjpwYXNz");
        using var basic = await client.SendAsync(post);
        Assert.Equal(HttpStatusCode.Unauthorized, basic.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_every_route_without_a_token()
    {
        using var client = Host.AnonymousClient();
        using var response = await client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("IoTOperator analytics", document["info"]!["title"]!.GetValue<string>());
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Equal(
            ["/analytics/reports", "/analytics/reports/{id}", "/analytics/summary", "/analytics/trends", "/rooms", "/rooms/{id}/history", "/rooms/{id}/metrics",
             "/sensors", "/sensors/{id}/data", "/sensors/{id}/rejections"],
            paths.Order(StringComparer.Ordinal));
        Assert.NotNull(document["paths"]!["/rooms/{id}/history"]!["get"]!["responses"]!["400"]);
        Assert.Equal("bearer", document["components"]!["securitySchemes"]!["bearer"]!["scheme"]!.GetValue<string>());
        Assert.NotNull(document["security"]![0]!["bearer"]);
    }
}
