namespace Iot.Ingest.Telemetry;

/// <summary>The outcome of parsing a payload: the messages that passed, and what was wrong with the others.</summary>
internal sealed class ParsedTelemetry
{
    public List<ValidatedTelemetry> Messages { get; } = [];

    public List<TelemetryError> Errors { get; } = [];

    /// <summary>True when nothing was wrong.</summary>
    public bool IsValid => Errors.Count == 0;

    public static ParsedTelemetry Failed(TelemetryError error)
    {
        var parsed = new ParsedTelemetry();
        parsed.Errors.Add(error);
        return parsed;
    }
}
