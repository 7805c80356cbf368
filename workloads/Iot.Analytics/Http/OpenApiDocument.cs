using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Iot.Analytics.Http;

/// <summary>The OpenAPI document's title, description and bearer security scheme (required by every operation).</summary>
internal static class OpenApiDocument
{
    private const string Scheme = "bearer";

    public static void Configure(OpenApiOptions options) => options.AddDocumentTransformer((document, _, _) =>
    {
        document.Info.Title = "IoTOperator analytics";
        document.Info.Description =
            "Sensors, rooms, summary, trends and reports over live and stored telemetry. Every route needs " +
            "'Authorization: Bearer <token>' (the iot-api-token Secret); errors are application/problem+json. " +
            "Times are ISO-8601, 'now' or 'now-<duration>'; durations are like 30s, 5m, 1h30m, 7d.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Scheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = Scheme,
            Description = "The token of the iot-api-token Secret (key 'token').",
        };
        document.Security = [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(Scheme, document)] = [] }];
        return Task.CompletedTask;
    });
}
