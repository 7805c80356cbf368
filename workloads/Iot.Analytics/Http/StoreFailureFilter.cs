using System.Data.Common;

using Iot.Storage.Influx;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Iot.Analytics.Http;

/// <summary>
/// Turns a failing store (InfluxDB unreachable or refusing a query, a database error) into a 503 problem naming the
/// cause, instead of a bare 500: the request was fine, a dependency was not.
/// </summary>
internal sealed partial class StoreFailureFilter(ILogger<StoreFailureFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        try
        {
            return await next(context);
        }
        catch (Exception e) when (e is InfluxException or HttpRequestException or DbException or TimeoutException
            || (e is TaskCanceledException && !context.HttpContext.RequestAborted.IsCancellationRequested))
        {
            LogFailed(logger, e, context.HttpContext.Request.Path);
            return TypedResults.Problem(
                $"A store analytics reads from failed: {e.Message}",
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Store unavailable");
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Request {Path} failed in a store")]
    private static partial void LogFailed(ILogger logger, Exception exception, string path);
}
