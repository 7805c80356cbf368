using System.Globalization;
using System.Text;

using Iot.Storage.Influx;

namespace Iot.Storage.TimeSeries;

/// <summary>
/// The time-series store over InfluxDB: database = namespace, retention policy = the room's raw policy (or its rollup
/// policy for rollup reads), measurement <c>telemetry</c>, tags <c>device</c>, <c>room</c>, <c>type</c>. Writes go
/// through <see cref="InfluxPointWriter"/> (batched, spooled while InfluxDB is down); reads are InfluxQL.
/// </summary>
/// <remarks>
/// The databases and retention policies must exist (the operator creates them from Room specs); a write into a missing
/// one is dropped and counted by the writer. InfluxDB's JSON does not tell integers from whole floats, so raw reads
/// ask for the field types (<c>SHOW FIELD KEYS</c>) in the same request.
/// </remarks>
public sealed class InfluxTimeSeriesStore(InfluxClient client, InfluxPointWriter writer) : ITimeSeriesStore
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    /// <inheritdoc/>
    public async ValueTask WriteAsync(IReadOnlyList<TelemetryPoint> points, CancellationToken cancellationToken = default)
    {
        foreach (var point in points)
        {
            TelemetrySchema.Check(point);
        }

        // One hand-over to the writer per run of points bound for the same database and retention policy.
        var lines = new StringBuilder(128 * points.Count);
        var tags = new List<KeyValuePair<string, string>>(3);
        var run = 0;
        for (var i = 0; i < points.Count; i++)
        {
            var point = points[i];
            tags.Clear();
            tags.Add(new(TelemetrySchema.DeviceTag, point.Device));
            if (!string.IsNullOrEmpty(point.Room))
            {
                tags.Add(new(TelemetrySchema.RoomTag, point.Room));
            }

            tags.Add(new(TelemetrySchema.TypeTag, point.Type));
            LineProtocol.Append(lines, TelemetrySchema.Measurement, tags, point.Fields, point.Timestamp, InfluxPrecision.Nanoseconds);
            lines.Append('\n');
            run++;
            if (i + 1 == points.Count || points[i + 1].Namespace != point.Namespace || points[i + 1].Room != point.Room)
            {
                await writer.WriteLinesAsync(point.Namespace, RetentionPolicyNames.Raw(point.Room), lines, run, cancellationToken);
                lines.Clear();
                run = 0;
            }
        }
    }

    /// <inheritdoc/>
    public Task FlushAsync(CancellationToken cancellationToken = default) => writer.FlushAsync(cancellationToken);

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TelemetryPoint>> QueryRawAsync(RawQuery query, CancellationToken cancellationToken = default)
    {
        TelemetrySchema.Check(query);
        var from = From(query.Room, null);
        var columns = query.Fields is { Count: > 0 } fields
            ? string.Join(", ", fields.Select(InfluxQL.Identifier).Append(InfluxQL.Identifier(TelemetrySchema.TypeTag)))
            : "*";
        var select = $"SELECT {columns} FROM {from} WHERE {TelemetrySchema.DeviceTag} = {InfluxQL.StringLiteral(query.Device)} AND {TimeRange(query.From, query.To)} " +
            $"ORDER BY time {(query.NewestFirst ? "DESC" : "ASC")} LIMIT {query.Limit.ToString(CultureInfo.InvariantCulture)}";

        // Two requests: influxd 1.6 reports a missing database in a multi-statement query only as "not executed".
        var fieldKeys = QueryOrEmptyAsync(query.Namespace, $"SHOW FIELD KEYS FROM {from}", cancellationToken);
        var rows = QueryOrEmptyAsync(query.Namespace, select, cancellationToken);
        await Task.WhenAll(fieldKeys, rows);
        var types = (await fieldKeys).SelectMany(s => s.Values).GroupBy(row => (string)row[0]!).ToDictionary(g => g.Key, g => (string)g.First()[1]!);
        var points = new List<TelemetryPoint>();
        foreach (var s in await rows)
        {
            var type = s.ColumnIndex(TelemetrySchema.TypeTag);
            foreach (var row in s.Values)
            {
                var values = new Dictionary<string, TelemetryValue>(StringComparer.Ordinal);
                for (var i = 1; i < s.Columns.Count; i++)
                {
                    if (row[i] is { } value && types.TryGetValue(s.Columns[i], out var fieldType) && (query.Fields is null || query.Fields.Contains(s.Columns[i])))
                    {
                        values[s.Columns[i]] = ToValue(value, fieldType);
                    }
                }

                if (values.Count > 0)
                {
                    points.Add(new TelemetryPoint(query.Namespace, query.Device, query.Room, type >= 0 ? row[type] as string ?? "" : "", ToTime((long)row[0]!), values));
                }
            }
        }

        return points;
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<AggregateBucket>> QueryAggregateAsync(AggregateQuery query, CancellationToken cancellationToken = default)
    {
        TelemetrySchema.Check(query);
        return query.Rollup is { } every
            ? await QueryRollupAsync(query, every, cancellationToken)
            : await QueryRawAggregateAsync(query, cancellationToken);
    }

    private async Task<IReadOnlyList<AggregateBucket>> QueryRawAggregateAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        var function = query.Function.ToString().ToLowerInvariant();
        var select = string.Join(", ", query.Fields.Select(f => $"{function}({InfluxQL.Identifier(f)}) AS {InfluxQL.Identifier(f)}"));
        var statement = $"SELECT {select} FROM {From(query.Room, null)} WHERE {Scope(query)} AND {TimeRange(query.From, query.To)} " +
            $"GROUP BY time({InfluxQL.DurationLiteral(query.Step)}) fill(none)";
        var buckets = new List<AggregateBucket>();
        foreach (var s in await QueryOrEmptyAsync(query.Namespace, statement, cancellationToken))
        {
            foreach (var row in s.Values)
            {
                var values = new Dictionary<string, double>(StringComparer.Ordinal);
                for (var i = 1; i < s.Columns.Count; i++)
                {
                    if (row[i] is { } value)
                    {
                        values[s.Columns[i]] = Convert.ToDouble(value, CultureInfo.InvariantCulture);
                    }
                }

                buckets.Add(new AggregateBucket(ToTime((long)row[0]!), values));
            }
        }

        return buckets;
    }

    // Rollup rows (one per series and interval) are combined per bucket here, so that means are weighted by counts.
    private async Task<IReadOnlyList<AggregateBucket>> QueryRollupAsync(AggregateQuery query, TimeSpan every, CancellationToken cancellationToken)
    {
        var columns = query.Fields.SelectMany(f => new[] { "mean_" + f, "min_" + f, "max_" + f, "count_" + f }).Select(InfluxQL.Identifier);
        var statement = $"SELECT {string.Join(", ", columns)} FROM {From(query.Room, every)} WHERE {Scope(query)} AND {TimeRange(query.From, query.To)}";
        var step = query.Step.Ticks * 100;
        var accumulators = new SortedDictionary<long, Dictionary<string, RollupAccumulator>>();
        foreach (var s in await QueryOrEmptyAsync(query.Namespace, statement, cancellationToken))
        {
            foreach (var row in s.Values)
            {
                var bucket = TelemetrySchema.Bucket((long)row[0]!, step);
                if (!accumulators.TryGetValue(bucket, out var fields))
                {
                    accumulators[bucket] = fields = new Dictionary<string, RollupAccumulator>(StringComparer.Ordinal);
                }

                for (var f = 0; f < query.Fields.Count; f++)
                {
                    if (row[1 + (4 * f) + 3] is not { } count || row[1 + (4 * f)] is not { } mean)
                    {
                        continue;
                    }

                    if (!fields.TryGetValue(query.Fields[f], out var accumulator))
                    {
                        fields[query.Fields[f]] = accumulator = new RollupAccumulator();
                    }

                    accumulator.Add(Double(mean), Double(row[2 + (4 * f)]), Double(row[3 + (4 * f)]), Double(count));
                }
            }
        }

        return [.. accumulators.Where(a => a.Value.Count > 0)
            .Select(a => new AggregateBucket(ToTime(a.Key), a.Value.ToDictionary(f => f.Key, f => f.Value.Result(query.Function))))];
    }

    private async Task<IReadOnlyList<InfluxSeries>> QueryOrEmptyAsync(string database, string statement, CancellationToken cancellationToken)
    {
        try
        {
            return await client.QueryAsync(database, statement, cancellationToken);
        }
        catch (InfluxException e) when (e.Message.StartsWith("database not found", StringComparison.Ordinal) || e.Message.StartsWith("retention policy not found", StringComparison.Ordinal))
        {
            return [];
        }
    }

    private static string From(string? room, TimeSpan? rollup) =>
        $"{InfluxQL.Identifier(rollup is { } every ? RetentionPolicyNames.Rollup(room!, every) : RetentionPolicyNames.Raw(room))}.{TelemetrySchema.Measurement}";

    private static string Scope(AggregateQuery query) => query.Device is { } device
        ? $"{TelemetrySchema.DeviceTag} = {InfluxQL.StringLiteral(device)}"
        : string.IsNullOrEmpty(query.Room) ? $"{TelemetrySchema.RoomTag} = ''" : $"{TelemetrySchema.RoomTag} = {InfluxQL.StringLiteral(query.Room)}";

    private static string TimeRange(DateTimeOffset from, DateTimeOffset to) => $"time >= {InfluxQL.TimeLiteral(from)} AND time < {InfluxQL.TimeLiteral(to)}";

    private static DateTimeOffset ToTime(long nanoseconds) => new(UnixEpochTicks + (nanoseconds / 100), TimeSpan.Zero);

    private static double Double(object? value) => Convert.ToDouble(value, CultureInfo.InvariantCulture);

    private static TelemetryValue ToValue(object value, string fieldType) => (value, fieldType) switch
    {
        (long integer, "integer") => TelemetryValue.Integer(integer),
        (long integer, _) => TelemetryValue.Number(integer),
        (double number, _) => TelemetryValue.Number(number),
        (bool boolean, _) => TelemetryValue.Boolean(boolean),
        _ => TelemetryValue.String(Convert.ToString(value, CultureInfo.InvariantCulture) ?? ""),
    };

    private sealed class RollupAccumulator
    {
        private double weightedSum;
        private double min = double.PositiveInfinity;
        private double max = double.NegativeInfinity;
        private double count;

        public void Add(double mean, double min, double max, double count)
        {
            weightedSum += mean * count;
            this.min = Math.Min(this.min, min);
            this.max = Math.Max(this.max, max);
            this.count += count;
        }

        public double Result(AggregateFunction function) => function switch
        {
            AggregateFunction.Mean => weightedSum / count,
            AggregateFunction.Min => min,
            AggregateFunction.Max => max,
            AggregateFunction.Sum => weightedSum,
            _ => count,
        };
    }
}
