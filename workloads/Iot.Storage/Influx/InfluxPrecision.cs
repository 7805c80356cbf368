namespace Iot.Storage.Influx;

/// <summary>The unit of the timestamps in a write (InfluxDB's <c>precision</c> parameter).</summary>
public enum InfluxPrecision
{
    /// <summary><c>ns</c>, the default and the only one that keeps every digit of a <see cref="DateTimeOffset"/>.</summary>
    Nanoseconds,

    /// <summary><c>u</c>.</summary>
    Microseconds,

    /// <summary><c>ms</c>.</summary>
    Milliseconds,

    /// <summary><c>s</c>.</summary>
    Seconds,
}
