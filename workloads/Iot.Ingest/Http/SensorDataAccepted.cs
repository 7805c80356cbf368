namespace Iot.Ingest.Http;

/// <summary>The body of a 202 answer to <c>POST /sensors/data</c>.</summary>
/// <param name="Points">How many points (messages) were accepted.</param>
public sealed record SensorDataAccepted(int Points);
