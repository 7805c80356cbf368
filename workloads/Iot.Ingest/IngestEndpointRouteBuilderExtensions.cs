using Iot.Ingest.Http;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Iot.Ingest;

/// <summary>Maps the ingest HTTP API.</summary>
public static class IngestEndpointRouteBuilderExtensions
{
    /// <summary>Maps <c>POST /sensors/data</c> (see <see cref="SensorDataAccepted"/> and the README).</summary>
    public static IEndpointRouteBuilder MapIotIngest(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        endpoints.MapPost(SensorDataEndpoint.Route, SensorDataEndpoint.PostAsync).WithName("PostSensorData");
        return endpoints;
    }
}
