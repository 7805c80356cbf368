namespace Iot.Storage.TimeSeries;

/// <summary>How the values in a time bucket are combined (the Room metrics' <c>aggregate</c>).</summary>
public enum AggregateFunction
{
    /// <summary>The arithmetic mean.</summary>
    Mean,

    /// <summary>The smallest value.</summary>
    Min,

    /// <summary>The largest value.</summary>
    Max,

    /// <summary>The sum.</summary>
    Sum,

    /// <summary>The number of values.</summary>
    Count,
}
