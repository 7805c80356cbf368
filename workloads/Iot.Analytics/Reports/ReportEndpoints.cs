using Iot.Analytics.Http;
using Iot.Analytics.Inventory;
using Iot.Api.Rooms;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Iot.Analytics.Reports;

/// <summary><c>POST /analytics/reports</c> and <c>GET /analytics/reports/{id}</c>.</summary>
internal static class ReportEndpoints
{
    public static void MapReports(this RouteGroupBuilder analytics)
    {
        analytics.MapPost("/reports", CreateAsync).WithName("CreateReport")
            .WithSummary("Computes and stores a report for a period: per-room statistics, alert counts and device uptime.");
        analytics.MapGet("/reports/{id}", GetAsync).WithName("GetReport")
            .WithSummary("A stored report, as JSON or, with 'Accept: text/csv', as CSV.")
            .Produces<Report>(StatusCodes.Status200OK, "application/json", ReportCsv.ContentType);
    }

    private static async Task<Results<Created<Report>, ValidationProblem>> CreateAsync(
        ReportRequest? request, DeviceInventory inventory, ReportBuilder builder, IReportStore store, TimeProvider time, IOptions<AnalyticsOptions> options,
        CancellationToken cancellationToken)
    {
        var problems = new RequestProblems();
        var now = time.GetUtcNow();
        var range = TimeParameters.Range(request?.From, request?.To, TimeSpan.FromDays(1), now, problems);
        List<Room> rooms;
        if (request?.Rooms is { Count: > 0 } names)
        {
            rooms = [.. names.Distinct(StringComparer.Ordinal).Select(inventory.Room).OfType<Room>()];
            var unknown = names.Where(n => inventory.Room(n) is null).ToList();
            if (unknown.Count > 0)
            {
                problems.Add("rooms", $"no such Room in namespace '{options.Value.Namespace}': {string.Join(", ", unknown)}");
            }
        }
        else
        {
            rooms = [.. inventory.Rooms()];
        }

        if (problems.Any)
        {
            return problems.ToResult();
        }

        var report = await builder.BuildAsync(range.From, range.To, rooms, cancellationToken);
        await store.SaveAsync(report, cancellationToken);
        return TypedResults.Created($"/analytics/reports/{report.Id}", report);
    }

    private static async Task<Results<Ok<Report>, ContentHttpResult, ProblemHttpResult>> GetAsync(
        string id, HttpContext context, IReportStore store, IOptions<AnalyticsOptions> options, CancellationToken cancellationToken)
    {
        if (await store.GetAsync(options.Value.Namespace, id, cancellationToken) is not { } report)
        {
            return RequestProblems.NotFound($"There is no report '{id}' in namespace '{options.Value.Namespace}'.");
        }

        return WantsCsv(context.Request)
            ? TypedResults.Text(ReportCsv.Write(report), ReportCsv.ContentType + "; charset=utf-8")
            : TypedResults.Ok(report);
    }

    // CSV when the client prefers it to JSON (by quality, then order); JSON otherwise.
    private static bool WantsCsv(HttpRequest request)
    {
        var accepted = request.GetTypedHeaders().Accept;
        var csv = accepted.Where(a => a.MediaType.Equals(ReportCsv.ContentType, StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = accepted.Where(a => a.MatchesMediaType("application/json")).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        return csv > 0 && csv >= json;
    }

    private static bool MatchesMediaType(this MediaTypeHeaderValue value, string type) =>
        value.MediaType.Equals(type, StringComparison.OrdinalIgnoreCase) || value.MatchesAllTypes;
}
