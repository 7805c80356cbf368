namespace Iot.Storage.TimeSeries;

/// <summary>
/// One telemetry message's fields at one instant. <paramref name="Namespace"/> is the Kubernetes namespace (the
/// InfluxDB database); <paramref name="Room"/> selects the raw retention policy (<c>&lt;room&gt;_raw</c>, or
/// <c>default_raw</c> when null). Stored as measurement <c>telemetry</c> with tags <c>device</c>, <c>room</c>, <c>type</c>.
/// </summary>
public sealed record TelemetryPoint(
    string Namespace,
    string Device,
    string? Room,
    string Type,
    DateTimeOffset Timestamp,
    IReadOnlyDictionary<string, TelemetryValue> Fields);
