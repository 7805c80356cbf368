using Microsoft.AspNetCore.OpenApi;

namespace Iot.Analytics.Http;

/// <summary>The OpenAPI document's title and description.</summary>
internal static class OpenApiDocument
{
    public static void Configure(OpenApiOptions options) => options.AddDocumentTransformer((document, _, _) =>
    {
        document.Info.Title = "IoTOperator analytics";
        document.Info.Description =
            "Sensors, rooms, summary, trends and reports over live and stored telemetry. Every route needs " +
            "'Authorization: Bearer <token>' (the iot-api-token Secret); errors are application/problem+json. " +
            "Times are ISO-8601, 'now' or 'now-<duration>'; durations are like 30s, 5m, 1h30m, 7d.";
        return Task.CompletedTask;
    });
}
