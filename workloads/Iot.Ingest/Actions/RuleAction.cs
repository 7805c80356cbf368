namespace Iot.Ingest.Actions;

/// <summary>A rule engine action on its way to the broker.</summary>
/// <param name="Kind">alert, command or publish (the <c>kind</c> label of the actions metrics).</param>
/// <param name="Topic">Where it goes.</param>
/// <param name="Payload">The message.</param>
/// <param name="Rule">The EdgeRule that raised it.</param>
/// <param name="Device">The device it is about (the source device of a command).</param>
/// <param name="RaisedAt">A <see cref="System.Diagnostics.Stopwatch"/> timestamp of when the engine raised it.</param>
internal sealed record RuleAction(string Kind, string Topic, byte[] Payload, string Rule, string Device, long RaisedAt);
