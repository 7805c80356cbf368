namespace Iot.Ingest.Telemetry;

/// <summary>One thing wrong with a telemetry message.</summary>
/// <param name="Reason">One of <see cref="RejectionReasons"/>.</param>
/// <param name="Field">The field at fault, when one is (a telemetry field, or <c>device_id</c>, <c>ts</c>, <c>timestamp</c>).</param>
/// <param name="Detail">What is wrong, for a person.</param>
/// <param name="Index">The message's position in an HTTP array body; null for a single message.</param>
public sealed record TelemetryError(string Reason, string? Field, string Detail, int? Index = null)
{
    /// <summary>Where the error is, as a ValidationProblem key: <c>temperature</c>, <c>[2].temperature</c>, or <c>$</c> for the whole body.</summary>
    public string Path => (Index, Field) switch
    {
        (null, null) => "$",
        (null, { } name) => name,
        ({ } index, null) => $"[{index}]",
        ({ } index, { } name) => $"[{index}].{name}",
    };
}
