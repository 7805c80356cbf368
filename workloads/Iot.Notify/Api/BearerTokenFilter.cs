using System.Security.Cryptography;
using System.Text;

using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace Iot.Notify.Api;

/// <summary>
/// Lets a request through only with <c>Authorization: Bearer &lt;token&gt;</c> (or, for WebSocket clients that cannot
/// set headers, <c>?access_token=&lt;token&gt;</c>) matching the configured API token; otherwise 401 problem+json.
/// </summary>
public sealed class BearerTokenFilter(IOptions<NotifyOptions> options) : IEndpointFilter
{
    private readonly byte[] expected = Encoding.UTF8.GetBytes(options.Value.ApiToken);

    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim()
            : request.Query["access_token"].ToString();
        if (token.Length == 0 || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), expected))
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Unauthorized",
                detail: token.Length == 0 ? "send the API token as Authorization: Bearer <token> (Secret iot-api-token, key token)" : "the bearer token is not valid");
        }

        return await next(context).ConfigureAwait(false);
    }
}
