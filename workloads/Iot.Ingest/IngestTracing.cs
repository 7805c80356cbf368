using System.Diagnostics;

namespace Iot.Ingest;

/// <summary>
/// The ActivitySource <c>Iot.Ingest</c>. Alert events are published inside a producer activity when tracing listens,
/// and carry its W3C trace context as the MQTT 5 user property <c>traceparent</c>, which notify continues.
/// </summary>
public static class IngestTracing
{
    public const string SourceName = "Iot.Ingest";

    /// <summary>The MQTT 5 user property carrying the W3C trace context.</summary>
    public const string TraceParentProperty = "traceparent";

    internal static readonly ActivitySource Source = new(SourceName);
}
