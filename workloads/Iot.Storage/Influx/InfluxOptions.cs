namespace Iot.Storage.Influx;

/// <summary>Where InfluxDB is and how to talk to it (the 1.x HTTP API, also served by 2.x and 3.x as their v1 API).</summary>
public sealed record InfluxOptions
{
    /// <summary>The HTTP API's base address, e.g. <c>http://influxdb:8086</c>.</summary>
    public required Uri Url { get; init; }

    /// <summary>User name for basic authentication; none when null.</summary>
    public string? Username { get; init; }

    /// <summary>Password for basic authentication.</summary>
    public string? Password { get; init; }

    /// <summary>How long one request may take before it counts as a timeout (retried by the writer).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Send write bodies gzip-compressed (InfluxDB decompresses <c>Content-Encoding: gzip</c>).</summary>
    public bool Gzip { get; init; } = true;
}
