using System.Text.Json.Serialization;

namespace Iot.Cli.Dev;

/// <summary>Where a namespace's workloads listen in dev mode (null: the component does not run there).</summary>
/// <param name="Mqtt">The broker, as host:port.</param>
/// <param name="Analytics">The analytics API's base URL.</param>
/// <param name="Notify">The notify API's base URL.</param>
/// <param name="WebSocket">Notify's live notifications (<c>/ws/notifications</c>).</param>
/// <param name="Ingest">Ingest's API (HTTP telemetry intake).</param>
/// <param name="Metrics">Prometheus metrics of the process (every component's; served by the broker's management port).</param>
/// <param name="Token">The bearer token of the analytics and notify APIs (Secret iot-api-token, key token).</param>
public sealed record NamespaceEndpoints(
    string? Mqtt,
    string? Analytics,
    string? Notify,
    [property: JsonPropertyName("websocket")] string? WebSocket,
    string? Ingest,
    string? Metrics,
    string? Token);

/// <summary>
/// What <c>.iot/endpoints.json</c> holds: the first namespace's endpoints at the top level (what scripts want for the
/// examples' single building), every namespace's under <c>namespaces</c>, and the kubeconfig's path.
/// </summary>
public sealed record DevEndpoints(
    string? Mqtt,
    string? Analytics,
    string? Notify,
    [property: JsonPropertyName("websocket")] string? WebSocket,
    string? Ingest,
    string? Metrics,
    string? Token,
    string Kubeconfig,
    IReadOnlyDictionary<string, NamespaceEndpoints> Namespaces);
