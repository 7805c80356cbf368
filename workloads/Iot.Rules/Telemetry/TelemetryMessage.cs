namespace Iot.Rules.Telemetry;

/// <summary>
/// One validated telemetry message as ingest hands it to the rule engine. A small struct: the fields are not copied,
/// and the engine reads them only during <see cref="RuleEngine.Process(in TelemetryMessage)"/>, so ingest may reuse a
/// pooled buffer for <paramref name="Fields"/> once the call returns.
/// </summary>
/// <param name="Device">The device id (the Device's metadata.name).</param>
/// <param name="Timestamp">
/// When the values were measured: the message's own <c>ts</c>/<c>timestamp</c>, else the broker's receive time.
/// Windows, rates of change and anomaly history run on these timestamps (event time).
/// </param>
/// <param name="Fields">The message's fields; a few, so lookups scan them in order.</param>
public readonly record struct TelemetryMessage(string Device, DateTimeOffset Timestamp, ReadOnlyMemory<FieldValue> Fields)
{
    /// <summary>The value of field <paramref name="name"/>, when the message carries it.</summary>
    public bool TryGetField(string name, out TelemetryValue value)
    {
        foreach (ref readonly var field in Fields.Span)
        {
            if (string.Equals(field.Name, name, StringComparison.Ordinal))
            {
                value = field.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
