using Iot.Storage.TimeSeries;

namespace Iot.Storage.Influx;

/// <summary>
/// A point in InfluxDB's data model: a measurement, tags (empty or null values are left out), at least one field and
/// a timestamp (null lets the writer stamp it; see <see cref="InfluxPointWriter"/>).
/// </summary>
public sealed record InfluxPoint(
    string Measurement,
    IReadOnlyDictionary<string, string?> Tags,
    IReadOnlyDictionary<string, TelemetryValue> Fields,
    DateTimeOffset? Timestamp = null);
