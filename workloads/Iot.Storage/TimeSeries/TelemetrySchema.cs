namespace Iot.Storage.TimeSeries;

// How telemetry is laid out in either store, and the argument checks both make.
internal static class TelemetrySchema
{
    public const string Measurement = "telemetry";
    public const string DeviceTag = "device";
    public const string RoomTag = "room";
    public const string TypeTag = "type";

    public static void Check(TelemetryPoint point)
    {
        ArgumentNullException.ThrowIfNull(point);
        ArgumentException.ThrowIfNullOrEmpty(point.Namespace);
        ArgumentException.ThrowIfNullOrEmpty(point.Device);
        ArgumentException.ThrowIfNullOrEmpty(point.Type);
        if (point.Fields is null || point.Fields.Count == 0)
        {
            throw new ArgumentException($"The point of device '{point.Device}' has no fields.", nameof(point));
        }

        foreach (var (name, value) in point.Fields)
        {
            if (value.Kind == TelemetryValueKind.Number && !double.IsFinite(value.AsDouble()))
            {
                throw new ArgumentException($"Field '{name}' of device '{point.Device}' is not a finite number.", nameof(point));
            }
        }
    }

    public static void Check(RawQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(query.Namespace);
        ArgumentException.ThrowIfNullOrEmpty(query.Device);
        ArgumentOutOfRangeException.ThrowIfLessThan(query.Limit, 1);
    }

    public static void Check(AggregateQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentException.ThrowIfNullOrEmpty(query.Namespace);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(query.Step, TimeSpan.Zero);
        if (query.Fields is null || query.Fields.Count == 0)
        {
            throw new ArgumentException("An aggregate needs at least one field.", nameof(query));
        }

        if (query.Rollup is { } every && (every <= TimeSpan.Zero || string.IsNullOrEmpty(query.Room)))
        {
            throw new ArgumentException("Reading a rollup needs a room and a positive interval: rollup policies are per room.", nameof(query));
        }
    }

    public static long Bucket(long nanoseconds, long stepNanoseconds) => nanoseconds - (((nanoseconds % stepNanoseconds) + stepNanoseconds) % stepNanoseconds);
}
