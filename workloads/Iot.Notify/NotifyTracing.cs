using System.Diagnostics;

namespace Iot.Notify;

/// <summary>The ActivitySource "Iot.Notify": a span per alert event, continuing the trace ingest started (MQTT 5 user property <c>traceparent</c>).</summary>
public static class NotifyTracing
{
    public const string SourceName = "Iot.Notify";

    public static ActivitySource Source { get; } = new(SourceName);
}
