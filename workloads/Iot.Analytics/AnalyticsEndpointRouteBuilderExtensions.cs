using Iot.Analytics.Http;
using Iot.Analytics.Reports;
using Iot.Analytics.Rooms;
using Iot.Analytics.Sensors;
using Iot.Analytics.Summary;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Iot.Analytics;

/// <summary>Maps the analytics API.</summary>
public static class AnalyticsEndpointRouteBuilderExtensions
{
    /// <summary>
    /// Maps <c>/sensors</c>, <c>/rooms</c> and <c>/analytics</c> (each behind the bearer token, errors as
    /// <c>application/problem+json</c>) and the OpenAPI document at <c>/openapi/v1.json</c> (no token needed).
    /// </summary>
    public static IEndpointRouteBuilder MapIotAnalytics(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapOpenApi();
        var api = endpoints.MapGroup("")
            .AddEndpointFilter<BearerTokenFilter>()
            .AddEndpointFilter<StoreFailureFilter>()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);
        api.MapSensors();
        api.MapRooms();
        var analytics = api.MapGroup("/analytics").WithTags("Analytics");
        analytics.MapSummary();
        analytics.MapReports();
        return endpoints;
    }
}
