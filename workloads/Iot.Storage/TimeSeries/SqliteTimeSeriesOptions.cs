namespace Iot.Storage.TimeSeries;

/// <summary>Where the embedded SQLite time-series store keeps its file, and how it buffers writes.</summary>
public sealed record SqliteTimeSeriesOptions
{
    /// <summary>The database file; created with its schema when missing.</summary>
    public required string Path { get; init; }

    /// <summary>Points accepted and not yet inserted; when full, writers wait (back-pressure).</summary>
    public int Capacity { get; init; } = 50_000;

    /// <summary>The most points inserted in one transaction.</summary>
    public int BatchSize { get; init; } = 5_000;
}
