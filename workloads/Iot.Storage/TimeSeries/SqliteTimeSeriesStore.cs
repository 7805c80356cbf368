using System.Globalization;
using System.Threading.Channels;

using Microsoft.Data.Sqlite;

namespace Iot.Storage.TimeSeries;

/// <summary>
/// The embedded time-series store (dev mode and single-node use): one SQLite file, one row per point and field,
/// keyed by namespace, device, time and field (so, as in InfluxDB, writing the same point twice stores it once), with
/// an index per room for room aggregates. Writes are inserted in the background in batched transactions. There are no
/// rollup policies: rollup reads are answered from raw points, so they cover what raw retention keeps. Retention is
/// by deletion: <see cref="DeleteOlderThanAsync"/>.
/// </summary>
public sealed class SqliteTimeSeriesStore : ITimeSeriesStore, IAsyncDisposable
{
    private static readonly long UnixEpochTicks = DateTimeOffset.UnixEpoch.UtcTicks;

    private readonly SqliteTimeSeriesOptions options;
    private readonly TimeProvider time;
    private readonly string connectionString;
    private readonly Channel<(TelemetryPoint? Point, TaskCompletionSource? Flushed)> input;
    private readonly Task inserting;

    private SqliteTimeSeriesStore(SqliteTimeSeriesOptions options, TimeProvider time)
    {
        this.options = options;
        this.time = time;
        connectionString = new SqliteConnectionStringBuilder { DataSource = options.Path, Pooling = true, DefaultTimeout = 30 }.ToString();
        input = Channel.CreateBounded<(TelemetryPoint?, TaskCompletionSource?)>(new BoundedChannelOptions(options.Capacity) { SingleReader = true });
        inserting = Task.Run(InsertAsync);
    }

    /// <summary>Opens (or creates) the store and starts its background inserts.</summary>
    public static SqliteTimeSeriesStore Open(SqliteTimeSeriesOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.Capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.BatchSize, 1);
        using (var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = options.Path }.ToString()))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                PRAGMA journal_mode = WAL;
                CREATE TABLE IF NOT EXISTS telemetry (
                    namespace TEXT NOT NULL,
                    device TEXT NOT NULL,
                    time INTEGER NOT NULL,
                    field TEXT NOT NULL,
                    room TEXT NOT NULL,
                    type TEXT NOT NULL,
                    kind INTEGER NOT NULL,
                    value ANY,
                    PRIMARY KEY (namespace, device, time, field)
                ) STRICT, WITHOUT ROWID;
                CREATE INDEX IF NOT EXISTS telemetry_by_room ON telemetry (namespace, room, time);
                """;
            command.ExecuteNonQuery();
        }

        return new SqliteTimeSeriesStore(options, time);
    }

    /// <inheritdoc/>
    public async ValueTask WriteAsync(IReadOnlyList<TelemetryPoint> points, CancellationToken cancellationToken = default)
    {
        foreach (var point in points)
        {
            TelemetrySchema.Check(point);
        }

        foreach (var point in points)
        {
            if (!input.Writer.TryWrite((point, null)))
            {
                try
                {
                    await input.Writer.WriteAsync((point, null), cancellationToken);
                }
                catch (ChannelClosedException e)
                {
                    throw new ObjectDisposedException(nameof(SqliteTimeSeriesStore), e);
                }
            }
        }
    }

    /// <inheritdoc/>
    public async Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var flushed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await input.Writer.WriteAsync((null, flushed), cancellationToken);
        await flushed.Task.WaitAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<IReadOnlyList<TelemetryPoint>> QueryRawAsync(RawQuery query, CancellationToken cancellationToken = default)
    {
        TelemetrySchema.Check(query);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var fieldFilter = FieldFilter(command, query.Fields);
        var order = query.NewestFirst ? "DESC" : "ASC";
        command.CommandText = $"""
            SELECT time, field, type, kind, value FROM telemetry
            WHERE namespace = $ns AND device = $device AND room = $room AND time IN (
                SELECT DISTINCT time FROM telemetry
                WHERE namespace = $ns AND device = $device AND room = $room AND time >= $from AND time < $to {fieldFilter}
                ORDER BY time {order} LIMIT $limit) {fieldFilter}
            ORDER BY time {order}
            """;
        command.Parameters.AddWithValue("$ns", query.Namespace);
        command.Parameters.AddWithValue("$device", query.Device);
        command.Parameters.AddWithValue("$room", query.Room ?? "");
        command.Parameters.AddWithValue("$from", ToNanoseconds(query.From));
        command.Parameters.AddWithValue("$to", ToNanoseconds(query.To));
        command.Parameters.AddWithValue("$limit", query.Limit);
        var points = new List<TelemetryPoint>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Dictionary<string, TelemetryValue>? fields = null;
        long current = 0;
        string type = "";
        while (await reader.ReadAsync(cancellationToken))
        {
            var at = reader.GetInt64(0);
            if (fields is null || at != current)
            {
                Add();
                fields = new Dictionary<string, TelemetryValue>(StringComparer.Ordinal);
                current = at;
                type = reader.GetString(2);
            }

            fields[reader.GetString(1)] = (TelemetryValueKind)reader.GetInt32(3) switch
            {
                TelemetryValueKind.Number => TelemetryValue.Number(reader.GetDouble(4)),
                TelemetryValueKind.Integer => TelemetryValue.Integer(reader.GetInt64(4)),
                TelemetryValueKind.Boolean => TelemetryValue.Boolean(reader.GetInt64(4) != 0),
                _ => TelemetryValue.String(reader.GetString(4)),
            };
        }

        Add();
        return points;

        void Add()
        {
            if (fields is { Count: > 0 })
            {
                points.Add(new TelemetryPoint(query.Namespace, query.Device, query.Room, type, ToTime(current), fields));
            }
        }
    }

    /// <inheritdoc/>
    /// <remarks>Rollup reads are computed from raw points (this store keeps no rollups); see <see cref="AggregateQuery.Rollup"/>.</remarks>
    public async Task<IReadOnlyList<AggregateBucket>> QueryAggregateAsync(AggregateQuery query, CancellationToken cancellationToken = default)
    {
        TelemetrySchema.Check(query);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        var fieldFilter = FieldFilter(command, query.Fields);
        var aggregate = query.Function switch
        {
            AggregateFunction.Mean => "AVG(value)",
            AggregateFunction.Min => "MIN(value)",
            AggregateFunction.Max => "MAX(value)",
            AggregateFunction.Sum => "TOTAL(value)",
            _ => "COUNT(value)",
        };
        var scope = query.Device is null ? "room = $room" : "device = $device AND room = $room";
        command.CommandText = $"""
            SELECT time - (((time % $step) + $step) % $step) AS bucket, field, {aggregate} FROM telemetry
            WHERE namespace = $ns AND {scope} AND time >= $from AND time < $to AND kind IN (0, 1) {fieldFilter}
            GROUP BY bucket, field ORDER BY bucket
            """;
        command.Parameters.AddWithValue("$ns", query.Namespace);
        command.Parameters.AddWithValue("$room", query.Room ?? "");
        command.Parameters.AddWithValue("$device", query.Device ?? "");
        command.Parameters.AddWithValue("$step", query.Step.Ticks * 100);
        command.Parameters.AddWithValue("$from", ToNanoseconds(query.From));
        command.Parameters.AddWithValue("$to", ToNanoseconds(query.To));
        var buckets = new List<AggregateBucket>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        Dictionary<string, double>? values = null;
        long current = 0;
        while (await reader.ReadAsync(cancellationToken))
        {
            var bucket = reader.GetInt64(0);
            if (values is null || bucket != current)
            {
                values = new Dictionary<string, double>(StringComparer.Ordinal);
                buckets.Add(new AggregateBucket(ToTime(bucket), values));
                current = bucket;
            }

            values[reader.GetString(1)] = reader.GetDouble(2);
        }

        return buckets;
    }

    /// <summary>
    /// Retention by deletion: removes the raw points of <paramref name="room"/> (null: devices without a room) in
    /// <paramref name="namespace"/> older than <paramref name="keep"/> before now; returns how many field values went.
    /// </summary>
    public async Task<int> DeleteOlderThanAsync(string @namespace, string? room, TimeSpan keep, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "DELETE FROM telemetry WHERE namespace = $ns AND room = $room AND time < $cutoff";
        command.Parameters.AddWithValue("$ns", @namespace);
        command.Parameters.AddWithValue("$room", room ?? "");
        command.Parameters.AddWithValue("$cutoff", ToNanoseconds(time.GetUtcNow() - keep));
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Inserts what is buffered and stops.</summary>
    public async ValueTask DisposeAsync()
    {
        input.Writer.TryComplete();
        await inserting;
    }

    private async Task InsertAsync()
    {
        await using var connection = await OpenAsync(CancellationToken.None);

        // WAL with synchronous NORMAL: a power cut may lose the last transactions, never corrupt the file.
        await ExecuteAsync(connection, "PRAGMA synchronous = NORMAL", CancellationToken.None);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT OR REPLACE INTO telemetry (namespace, device, time, field, room, type, kind, value)
            VALUES ($ns, $device, $time, $field, $room, $type, $kind, $value)
            """;
        var parameters = new[] { "$ns", "$device", "$time", "$field", "$room", "$type", "$kind", "$value" }.Select(name =>
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            command.Parameters.Add(parameter);
            return parameter;
        }).ToArray();
        var flushed = new List<TaskCompletionSource>();
        while (await input.Reader.WaitToReadAsync())
        {
            Exception? failure = null;
            try
            {
                await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync();
                command.Transaction = transaction;
                for (var count = 0; count < options.BatchSize && input.Reader.TryRead(out var item); count++)
                {
                    if (item.Flushed is { } done)
                    {
                        flushed.Add(done);
                        continue;
                    }

                    var point = item.Point!;
                    parameters[0].Value = point.Namespace;
                    parameters[1].Value = point.Device;
                    parameters[2].Value = ToNanoseconds(point.Timestamp);
                    parameters[4].Value = point.Room ?? "";
                    parameters[5].Value = point.Type;
                    foreach (var (field, value) in point.Fields)
                    {
                        parameters[3].Value = field;
                        parameters[6].Value = (int)value.Kind;
                        parameters[7].Value = value.Kind switch
                        {
                            TelemetryValueKind.Number => value.AsDouble(),
                            TelemetryValueKind.Integer => value.AsInteger(),
                            TelemetryValueKind.Boolean => value.AsBoolean() ? 1L : 0L,
                            _ => value.AsString(),
                        };
                        await command.ExecuteNonQueryAsync();
                    }
                }

                await transaction.CommitAsync();
            }
            catch (SqliteException e)
            {
                // The batch is lost; whoever waits for a flush learns why.
                failure = e;
            }

            foreach (var done in flushed)
            {
                _ = failure is null ? done.TrySetResult() : done.TrySetException(failure);
            }

            flushed.Clear();
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string FieldFilter(SqliteCommand command, IReadOnlyList<string>? fields)
    {
        if (fields is not { Count: > 0 })
        {
            return "";
        }

        var names = new List<string>();
        for (var i = 0; i < fields.Count; i++)
        {
            var name = "$f" + i.ToString(CultureInfo.InvariantCulture);
            command.Parameters.AddWithValue(name, fields[i]);
            names.Add(name);
        }

        return $"AND field IN ({string.Join(", ", names)})";
    }

    private static long ToNanoseconds(DateTimeOffset time) => (time.UtcTicks - UnixEpochTicks) * 100;

    private static DateTimeOffset ToTime(long nanoseconds) => new(UnixEpochTicks + (nanoseconds / 100), TimeSpan.Zero);
}
