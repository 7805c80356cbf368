using System.Security.Cryptography;
using System.Text;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Iot.Analytics.Http;

/// <summary>
/// Lets a request through only with <c>Authorization: Bearer &lt;token&gt;</c> carrying <see cref="AnalyticsOptions.ApiToken"/>
/// (compared in constant time); anything else is a 401 problem with <c>WWW-Authenticate: Bearer</c>.
/// </summary>
internal sealed class BearerTokenFilter(IOptions<AnalyticsOptions> options) : IEndpointFilter
{
    private readonly byte[] token = Encoding.UTF8.GetBytes(options.Value.ApiToken);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var header = context.HttpContext.Request.Headers.Authorization.ToString();
        const string Scheme = "Bearer ";
        if (!header.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return Unauthorized(context.HttpContext, header.Length == 0
                ? "This API needs a bearer token: send 'Authorization: Bearer <token>' with the token of the iot-api-token Secret."
                : "The Authorization header is not a bearer token ('Authorization: Bearer <token>').");
        }

        var presented = Encoding.UTF8.GetBytes(header[Scheme.Length..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, token)
            ? await next(context)
            : Unauthorized(context.HttpContext, "The bearer token is not valid for this API.");
    }

    private static IResult Unauthorized(HttpContext context, string detail)
    {
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return TypedResults.Problem(detail, statusCode: StatusCodes.Status401Unauthorized, title: "Unauthorized");
    }
}
