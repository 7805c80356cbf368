namespace Iot.Storage.Influx;

/// <summary>
/// A continuous query: its name and its whole <c>CREATE CONTINUOUS QUERY … END</c> statement, in the form
/// <c>SHOW CONTINUOUS QUERIES</c> returns it (identifiers bare unless they need quotes, durations like <c>5m</c>, <c>1w</c>).
/// Statements built by <see cref="RollupQuery"/> are already in that form, so drift is a string comparison.
/// </summary>
public sealed record ContinuousQuery(string Name, string Query);
