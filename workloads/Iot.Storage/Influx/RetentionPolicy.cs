namespace Iot.Storage.Influx;

/// <summary>
/// An InfluxDB retention policy as <c>SHOW RETENTION POLICIES</c> returns it. <see cref="TimeSpan.Zero"/> as
/// <paramref name="Duration"/> means infinite (<c>INF</c>); as <paramref name="ShardGroupDuration"/> on create it lets
/// InfluxDB choose.
/// </summary>
public sealed record RetentionPolicy(string Name, TimeSpan Duration, TimeSpan ShardGroupDuration, int ReplicaN = 1, bool Default = false);
