using Iot.Storage.Influx;

namespace Iot.Storage.Spool;

/// <summary>One write request as the spool keeps it: where it goes, how many points and their line protocol.</summary>
internal sealed record SpooledBatch(string Database, string? RetentionPolicy, InfluxPrecision Precision, int Points, ReadOnlyMemory<byte> Lines);
