namespace Iot.Storage.TimeSeries;

/// <summary>One time bucket of an aggregate: its start and the aggregate of each field that had values in it.</summary>
public sealed record AggregateBucket(DateTimeOffset Start, IReadOnlyDictionary<string, double> Values);
