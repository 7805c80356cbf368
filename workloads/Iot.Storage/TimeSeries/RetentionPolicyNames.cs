using Iot.Storage.Influx;

namespace Iot.Storage.TimeSeries;

/// <summary>
/// The retention policy names every component agrees on: ingest writes into <see cref="Raw"/>, the operator creates
/// <see cref="Raw"/> and <see cref="Rollup"/> policies for each Room, analytics reads either.
/// </summary>
public static class RetentionPolicyNames
{
    /// <summary>The raw policy of devices without a room.</summary>
    public const string DefaultRaw = "default_raw";

    /// <summary><c>&lt;room&gt;_raw</c>, or <see cref="DefaultRaw"/> when <paramref name="room"/> is null or empty.</summary>
    public static string Raw(string? room) => string.IsNullOrEmpty(room) ? DefaultRaw : room + "_raw";

    /// <summary>
    /// <c>&lt;room&gt;_&lt;every&gt;</c>, the interval in InfluxQL's shortest form (<c>lab-1_5m</c>, <c>lab-1_1h</c>,
    /// <c>lab-1_1d</c>; 60 minutes is <c>1h</c>, 7 days <c>1w</c>), so one interval has one name however a Room spells it.
    /// </summary>
    public static string Rollup(string room, TimeSpan every)
    {
        ArgumentException.ThrowIfNullOrEmpty(room);
        return $"{room}_{InfluxQL.DurationLiteral(every)}";
    }
}
