using Iot.Ingest.Telemetry;

using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Iot.Ingest.Http;

/// <summary>
/// <c>POST /sensors/data</c>: telemetry from devices that cannot speak MQTT. The body is one message in either shape of
/// DESIGN.md §5, or a JSON array of them; the device authenticates with HTTP basic authentication (its id and the
/// password of its credentials Secret). Validation is the MQTT path's; a body is stored whole or not at all.
/// </summary>
/// <remarks>
/// 202 <c>{"points":n}</c>; 400 problem+json (ValidationProblem) with the errors per field (<c>temperature</c>, or
/// <c>[2].temperature</c> in an array, <c>$</c> for the whole body) and a <c>reasons</c> extension with each one's
/// rejection reason; 401 without valid device credentials; 403 when the device is disabled or the body's
/// <c>device_id</c> names another device; 413 past <see cref="IngestOptions.MaxRequestBytes"/>. Refused bodies are
/// counted and kept in the device's rejections like refused MQTT messages.
/// </remarks>
internal static class SensorDataEndpoint
{
    public const string Route = "/sensors/data";

    public static async Task<Results<Accepted<SensorDataAccepted>, ValidationProblem, ProblemHttpResult>> PostAsync(
        HttpContext context, DeviceAuthenticator authenticator, TelemetryPipeline pipeline, IOptions<IngestOptions> options, TimeProvider time)
    {
        var cancellationToken = context.RequestAborted;
        if (authenticator.Authenticate(context.Request.Headers.Authorization) is not { } device)
        {
            context.Response.Headers.WWWAuthenticate = "Basic realm=\"iot-ingest\", charset=\"UTF-8\"";
            return TypedResults.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Device credentials required",
                detail: "Authenticate with HTTP basic authentication: the device id as the user name, and the password from the Device's credentials Secret.");
        }

        var receivedAt = time.GetUtcNow();
        if (device.Disabled)
        {
            pipeline.Reject(device, receivedAt, [new TelemetryError(RejectionReasons.DeviceDisabled, null, $"device '{device.Id}' is disabled")], []);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Device disabled", detail: $"Device '{device.Id}' is disabled (spec.disabled); its telemetry is not accepted.");
        }

        var limit = options.Value.MaxRequestBytes;
        if (await ReadBodyAsync(context.Request, limit, cancellationToken) is not { } body)
        {
            pipeline.Reject(device, receivedAt, [new TelemetryError(RejectionReasons.TooLarge, null, $"the body is larger than {limit} bytes")], []);
            return TypedResults.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Body too large", detail: $"At most {limit} bytes are accepted per request; send fewer messages per request.");
        }

        var parsed = TelemetryParser.ParseBatch(body, device, receivedAt);
        if (parsed.Errors.FirstOrDefault(e => e.Reason == RejectionReasons.DeviceMismatch) is { } mismatch)
        {
            pipeline.Reject(device, receivedAt, [mismatch], body);
            return TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Telemetry of another device", detail: $"Device '{device.Id}' may post only its own telemetry: {mismatch.Detail}.");
        }

        if (!parsed.IsValid)
        {
            pipeline.Reject(device, receivedAt, parsed.Errors, body);
            var errors = parsed.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.Select(e => e.Detail).ToArray());
            var reasons = parsed.Errors.GroupBy(e => e.Path).ToDictionary(g => g.Key, g => g.First().Reason);
            return TypedResults.ValidationProblem(
                errors,
                detail: "Nothing was stored. Fix the fields listed and send the body again.",
                title: "The telemetry is not valid",
                extensions: new Dictionary<string, object?> { ["reasons"] = reasons });
        }

        await pipeline.AcceptAsync(device, parsed.Messages, receivedAt, cancellationToken);
        return TypedResults.Accepted((string?)null, new SensorDataAccepted(parsed.Messages.Count));
    }

    // The body, or null when it is longer than the limit (without reading more of it than that).
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, int limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}
