namespace Iot.Kube;

/// <summary>How an <see cref="EventRecorder"/> labels, aggregates and buffers Events.</summary>
public sealed record EventRecorderOptions
{
    /// <summary>The reporting component (reportingComponent and source.component), e.g. iot-operator.</summary>
    public required string Component { get; init; }

    /// <summary>The reporting instance (reportingInstance and source.host); null uses the host name.</summary>
    public string? Instance { get; init; }

    /// <summary>How many Events may wait to be written; beyond it new ones are dropped and counted.</summary>
    public int Capacity { get; init; } = 1000;

    /// <summary>An Event repeated within this time of its last occurrence bumps the existing Event's count instead of creating a new one.</summary>
    public TimeSpan AggregationWindow { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How many distinct Events are remembered for aggregation.</summary>
    public int CacheSize { get; init; } = 4096;

    /// <summary>The time limit of each request to the API server.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How long disposal waits for the queued Events to be written before abandoning them.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
