using System.Data.Common;
using System.Globalization;
using System.Text.Json;

namespace Iot.Storage.Events;

/// <summary>
/// The event store in SQL both dialects share; <see cref="PostgresEventStore"/> and <see cref="SqliteEventStore"/> supply
/// connections, the migration text, and how times and JSON columns are written.
/// </summary>
public abstract class SqlEventStore : IEventStore
{
    private const string AlertColumns = "fingerprint, namespace, rule, device, room, status, labels, annotations, value, starts_at, ends_at, updated_at, acknowledged_by, acknowledged_at, acknowledge_comment";
    private const string NotificationColumns = "id, created_at, route, receiver, receiver_type, receiver_spec, group_key, payload, status, attempts, next_attempt_at, last_error, completed_at";
    private const string EventColumns = "id, at, type, fingerprint, rule, device, route, receiver, notification_id, message";

    /// <summary>Opens a connection.</summary>
    protected abstract ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>The migration text of this dialect.</summary>
    private protected abstract string MigrationSql(EventStoreMigration migration);

    /// <summary>Serializes concurrent migrations (inside <paramref name="transaction"/>).</summary>
    protected abstract Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken);

    /// <summary>The SQL for a parameter holding JSON text in a JSON column (PostgreSQL casts it to jsonb).</summary>
    protected abstract string Json(string parameter);

    /// <summary>How a time is written.</summary>
    protected abstract object ToDb(DateTimeOffset value);

    /// <summary>How a time is read.</summary>
    protected abstract DateTimeOffset ReadTime(DbDataReader reader, int ordinal);

    /// <inheritdoc />
    public abstract ValueTask DisposeAsync();

    /// <inheritdoc />
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await LockForMigrationAsync(connection, transaction, cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS schema_migrations (version integer PRIMARY KEY, description text NOT NULL, applied_at text NOT NULL)", [], cancellationToken).ConfigureAwait(false);
        var applied = await ScalarAsync(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], cancellationToken).ConfigureAwait(false);
        foreach (var migration in EventStoreMigrations.All.Where(m => m.Version > System.Convert.ToInt32(applied, CultureInfo.InvariantCulture)))
        {
            await ExecuteAsync(connection, transaction, MigrationSql(migration), [], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(connection, transaction, "INSERT INTO schema_migrations (version, description, applied_at) VALUES (@version, @description, @at)",
                [("version", migration.Version), ("description", migration.Description), ("at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture))], cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var version = await ScalarAsync(connection, null, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", [], cancellationToken).ConfigureAwait(false);
            return System.Convert.ToInt32(version, CultureInfo.InvariantCulture);
        }
        catch (DbException)
        {
            return 0; // no schema_migrations table yet
        }
    }

    /// <inheritdoc />
    public async Task<StoredAlert?> GetAlertAsync(string fingerprint, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {AlertColumns} FROM alerts WHERE fingerprint = @fingerprint", [("fingerprint", fingerprint)], ReadAlert, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task SaveAlertAsync(StoredAlert alert, EventRecord? transition, CancellationToken cancellationToken = default)
    {
        // An acknowledgement belongs to one episode of the alert: kept while starts_at stays, cleared when it fires anew.
        var upsert = ($"""
            INSERT INTO alerts ({AlertColumns})
            VALUES (@fingerprint, @namespace, @rule, @device, @room, @status, {Json("@labels")}, {Json("@annotations")}, @value, @starts_at, @ends_at, @updated_at, @acknowledged_by, @acknowledged_at, @acknowledge_comment)
            ON CONFLICT (fingerprint) DO UPDATE SET
                namespace = excluded.namespace, rule = excluded.rule, device = excluded.device, room = excluded.room,
                status = excluded.status, labels = excluded.labels, annotations = excluded.annotations, value = excluded.value,
                ends_at = excluded.ends_at, updated_at = excluded.updated_at,
                acknowledged_by = CASE WHEN alerts.starts_at = excluded.starts_at THEN COALESCE(excluded.acknowledged_by, alerts.acknowledged_by) ELSE excluded.acknowledged_by END,
                acknowledged_at = CASE WHEN alerts.starts_at = excluded.starts_at THEN COALESCE(excluded.acknowledged_at, alerts.acknowledged_at) ELSE excluded.acknowledged_at END,
                acknowledge_comment = CASE WHEN alerts.starts_at = excluded.starts_at THEN COALESCE(excluded.acknowledge_comment, alerts.acknowledge_comment) ELSE excluded.acknowledge_comment END,
                starts_at = excluded.starts_at
            """, (IEnumerable<(string, object?)>)
            [
                ("fingerprint", alert.Fingerprint), ("namespace", alert.Namespace), ("rule", alert.Rule), ("device", alert.Device), ("room", alert.Room),
                ("status", alert.Status), ("labels", JsonSerializer.Serialize(alert.Labels)), ("annotations", JsonSerializer.Serialize(alert.Annotations)),
                ("value", alert.Value), ("starts_at", ToDb(alert.StartsAt)), ("ends_at", Time(alert.EndsAt)), ("updated_at", ToDb(alert.UpdatedAt)),
                ("acknowledged_by", alert.AcknowledgedBy), ("acknowledged_at", Time(alert.AcknowledgedAt)), ("acknowledge_comment", alert.AcknowledgeComment),
            ]);
        return WriteAtomicallyAsync(transition is null ? [upsert] : [upsert, EventStatement(transition)], cancellationToken);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<StoredAlert>> ListAlertsAsync(AlertQuery query, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Where(
            ("status", query.Status), ("rule", query.Rule), ("device", query.Device), ("room", query.Room));
        parameters.Add(("limit", query.Limit));
        return QueryAsync($"SELECT {AlertColumns} FROM alerts{where} ORDER BY starts_at DESC, fingerprint LIMIT @limit", parameters, ReadAlert, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<bool> AcknowledgeAsync(string fingerprint, string by, string? comment, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await ExecuteAsync(connection, transaction,
            "UPDATE alerts SET acknowledged_by = @by, acknowledged_at = @at, acknowledge_comment = @comment WHERE fingerprint = @fingerprint",
            [("by", by), ("at", ToDb(at)), ("comment", comment), ("fingerprint", fingerprint)], cancellationToken).ConfigureAwait(false);
        if (changed == 0)
        {
            return false;
        }

        var alert = (await QueryAsync(connection, transaction, $"SELECT {AlertColumns} FROM alerts WHERE fingerprint = @fingerprint", [("fingerprint", fingerprint)], ReadAlert, cancellationToken).ConfigureAwait(false))[0];
        await InsertEventAsync(connection, transaction, new EventRecord
        {
            At = at,
            Type = "alert.acknowledged",
            Fingerprint = fingerprint,
            Rule = alert.Rule,
            Device = alert.Device,
            Message = comment is { Length: > 0 } ? $"acknowledged by {by}: {comment}" : $"acknowledged by {by}",
        }, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public Task EnqueueAsync(NotificationRecord notification, EventRecord queued, CancellationToken cancellationToken = default) =>
        WriteAtomicallyAsync(
            [
                ($"""
                INSERT INTO notifications ({NotificationColumns})
                VALUES (@id, @created_at, @route, @receiver, @receiver_type, @receiver_spec, @group_key, @payload, @status, @attempts, @next_attempt_at, @last_error, @completed_at)
                """, NotificationParameters(notification)),
                EventStatement(queued),
            ], cancellationToken);

    /// <inheritdoc />
    public async Task<NotificationRecord?> GetNotificationAsync(string id, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {NotificationColumns} FROM notifications WHERE id = @id", [("id", id)], ReadNotification, cancellationToken).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<NotificationRecord>> ListPendingAsync(CancellationToken cancellationToken = default) =>
        QueryAsync($"SELECT {NotificationColumns} FROM notifications WHERE status = 'pending' ORDER BY next_attempt_at, id", [], ReadNotification, cancellationToken);

    /// <inheritdoc />
    public async Task<int> CountPendingAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        var count = await ScalarAsync(connection, null, "SELECT COUNT(*) FROM notifications WHERE status = 'pending'", [], cancellationToken).ConfigureAwait(false);
        return System.Convert.ToInt32(count, CultureInfo.InvariantCulture);
    }

    /// <inheritdoc />
    public Task RecordAttemptAsync(DeliveryAttempt attempt, NotificationRecord updated, EventRecord outcome, CancellationToken cancellationToken = default) =>
        WriteAtomicallyAsync(
            [
                ("""
                INSERT INTO delivery_attempts (notification_id, attempt, at, duration_ms, succeeded, error)
                VALUES (@a_notification_id, @a_attempt, @a_at, @a_duration_ms, @a_succeeded, @a_error)
                """,
                [
                    ("a_notification_id", attempt.NotificationId), ("a_attempt", attempt.Attempt), ("a_at", ToDb(attempt.At)),
                    ("a_duration_ms", attempt.Duration.TotalMilliseconds), ("a_succeeded", attempt.Succeeded), ("a_error", attempt.Error),
                ]),
                ("""
                UPDATE notifications SET status = @status, attempts = @attempts, next_attempt_at = @next_attempt_at, last_error = @last_error, completed_at = @completed_at
                WHERE id = @id
                """, NotificationParameters(updated)),
                EventStatement(outcome),
            ], cancellationToken);

    /// <inheritdoc />
    public Task<IReadOnlyList<DeliveryAttempt>> ListAttemptsAsync(string notificationId, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT notification_id, attempt, at, duration_ms, succeeded, error FROM delivery_attempts WHERE notification_id = @id ORDER BY attempt",
            [("id", notificationId)],
            r => new DeliveryAttempt(r.GetString(0), r.GetInt32(1), ReadTime(r, 2), TimeSpan.FromMilliseconds(r.GetDouble(3)), r.GetBoolean(4), r.IsDBNull(5) ? null : r.GetString(5)),
            cancellationToken);

    /// <inheritdoc />
    public Task AppendEventAsync(EventRecord record, CancellationToken cancellationToken = default) =>
        WriteAtomicallyAsync([EventStatement(record)], cancellationToken);

    /// <inheritdoc />
    public async Task<EventPage> QueryEventsAsync(EventQuery query, CancellationToken cancellationToken = default)
    {
        var (where, parameters) = Where(
            ("device", query.Device), ("rule", query.Rule), ("fingerprint", query.Fingerprint), ("notification_id", query.NotificationId));
        var conditions = new List<string>();
        if (where.Length > 0)
        {
            conditions.Add(where[" WHERE ".Length..]);
        }

        if (query.Type is { } type)
        {
            conditions.Add(type.EndsWith('.') ? "type LIKE @type_prefix" : "type = @type");
            parameters.Add(type.EndsWith('.') ? ("type_prefix", type + "%") : ("type", type));
        }

        if (query.From is { } from)
        {
            conditions.Add("at >= @from");
            parameters.Add(("from", ToDb(from)));
        }

        if (query.To is { } to)
        {
            conditions.Add("at < @to");
            parameters.Add(("to", ToDb(to)));
        }

        if (query.Before is { } before)
        {
            conditions.Add("id < @before");
            parameters.Add(("before", before));
        }

        parameters.Add(("limit", query.Limit + 1));
        var sql = $"SELECT {EventColumns} FROM events{(conditions.Count > 0 ? " WHERE " + string.Join(" AND ", conditions) : "")} ORDER BY id DESC LIMIT @limit";
        var events = await QueryAsync(sql, parameters, ReadEvent, cancellationToken).ConfigureAwait(false);
        return events.Count > query.Limit
            ? new EventPage([.. events.Take(query.Limit)], events[query.Limit - 1].Id)
            : new EventPage(events, null);
    }

    /// <inheritdoc />
    public Task AddSilenceAsync(SilenceRecord silence, EventRecord created, CancellationToken cancellationToken = default) =>
        WriteAtomicallyAsync(
            [
                ($"""
                INSERT INTO silences (id, matchers, starts_at, ends_at, created_by, comment, created_at)
                VALUES (@id, {Json("@matchers")}, @starts_at, @ends_at, @created_by, @comment, @created_at)
                """,
                [
                    ("id", silence.Id), ("matchers", JsonSerializer.Serialize(silence.Matchers)), ("starts_at", ToDb(silence.StartsAt)), ("ends_at", ToDb(silence.EndsAt)),
                    ("created_by", silence.CreatedBy), ("comment", silence.Comment), ("created_at", ToDb(silence.CreatedAt)),
                ]),
                EventStatement(created),
            ], cancellationToken);

    /// <inheritdoc />
    public async Task<bool> ExpireSilenceAsync(string id, DateTimeOffset at, EventRecord expired, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        var changed = await ExecuteAsync(connection, transaction, "UPDATE silences SET ends_at = @at WHERE id = @id AND ends_at > @at",
            [("at", ToDb(at)), ("id", id)], cancellationToken).ConfigureAwait(false);
        if (changed == 0)
        {
            return false;
        }

        await InsertEventAsync(connection, transaction, expired, cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<SilenceRecord>> ListSilencesAsync(DateTimeOffset at, CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT id, matchers, starts_at, ends_at, created_by, comment, created_at FROM silences WHERE ends_at > @at ORDER BY starts_at, id",
            [("at", ToDb(at))],
            r => new SilenceRecord
            {
                Id = r.GetString(0),
                Matchers = JsonSerializer.Deserialize<List<string>>(r.GetString(1)) ?? [],
                StartsAt = ReadTime(r, 2),
                EndsAt = ReadTime(r, 3),
                CreatedBy = r.GetString(4),
                Comment = r.GetString(5),
                CreatedAt = ReadTime(r, 6),
            },
            cancellationToken);

    /// <inheritdoc />
    public async Task SaveGroupLogAsync(GroupLogEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, $"""
            INSERT INTO notification_log (group_key, route, firing, sent_at) VALUES (@group_key, @route, {Json("@firing")}, @sent_at)
            ON CONFLICT (group_key) DO UPDATE SET route = excluded.route, firing = excluded.firing, sent_at = excluded.sent_at
            """,
            [("group_key", entry.GroupKey), ("route", entry.Route), ("firing", JsonSerializer.Serialize(entry.Firing)), ("sent_at", ToDb(entry.SentAt))],
            cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DeleteGroupLogAsync(string groupKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "DELETE FROM notification_log WHERE group_key = @group_key", [("group_key", groupKey)], cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public Task<IReadOnlyList<GroupLogEntry>> ListGroupLogsAsync(CancellationToken cancellationToken = default) =>
        QueryAsync("SELECT group_key, route, firing, sent_at FROM notification_log ORDER BY group_key", [],
            r => new GroupLogEntry(r.GetString(0), r.GetString(1), JsonSerializer.Deserialize<List<string>>(r.GetString(2)) ?? [], ReadTime(r, 3)),
            cancellationToken);

    private object? Time(DateTimeOffset? value) => value is { } v ? ToDb(v) : null;

    private List<(string, object?)> NotificationParameters(NotificationRecord n) =>
    [
        ("id", n.Id), ("created_at", ToDb(n.CreatedAt)), ("route", n.Route), ("receiver", n.Receiver), ("receiver_type", n.ReceiverType),
        ("receiver_spec", n.ReceiverSpec), ("group_key", n.GroupKey), ("payload", n.Payload), ("status", n.Status.ToString().ToLowerInvariant()),
        ("attempts", n.Attempts), ("next_attempt_at", ToDb(n.NextAttemptAt)), ("last_error", n.LastError), ("completed_at", Time(n.CompletedAt)),
    ];

    private static (string Where, List<(string, object?)> Parameters) Where(params (string Column, string? Value)[] filters)
    {
        var given = filters.Where(f => f.Value is not null).ToList();
        return (given.Count == 0 ? "" : " WHERE " + string.Join(" AND ", given.Select(f => $"{f.Column} = @{f.Column}")),
            [.. given.Select(f => (f.Column, (object?)f.Value))]);
    }

    private StoredAlert ReadAlert(DbDataReader r) => new()
    {
        Fingerprint = r.GetString(0),
        Namespace = r.GetString(1),
        Rule = r.GetString(2),
        Device = r.GetString(3),
        Room = r.IsDBNull(4) ? null : r.GetString(4),
        Status = r.GetString(5),
        Labels = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(6)) ?? [],
        Annotations = JsonSerializer.Deserialize<Dictionary<string, string>>(r.GetString(7)) ?? [],
        Value = r.IsDBNull(8) ? null : r.GetDouble(8),
        StartsAt = ReadTime(r, 9),
        EndsAt = r.IsDBNull(10) ? null : ReadTime(r, 10),
        UpdatedAt = ReadTime(r, 11),
        AcknowledgedBy = r.IsDBNull(12) ? null : r.GetString(12),
        AcknowledgedAt = r.IsDBNull(13) ? null : ReadTime(r, 13),
        AcknowledgeComment = r.IsDBNull(14) ? null : r.GetString(14),
    };

    private NotificationRecord ReadNotification(DbDataReader r) => new()
    {
        Id = r.GetString(0),
        CreatedAt = ReadTime(r, 1),
        Route = r.GetString(2),
        Receiver = r.GetString(3),
        ReceiverType = r.GetString(4),
        ReceiverSpec = r.GetString(5),
        GroupKey = r.GetString(6),
        Payload = r.GetString(7),
        Status = Enum.Parse<NotificationStatus>(r.GetString(8), ignoreCase: true),
        Attempts = r.GetInt32(9),
        NextAttemptAt = ReadTime(r, 10),
        LastError = r.IsDBNull(11) ? null : r.GetString(11),
        CompletedAt = r.IsDBNull(12) ? null : ReadTime(r, 12),
    };

    private EventRecord ReadEvent(DbDataReader r)
    {
        string? Text(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new EventRecord
        {
            Id = r.GetInt64(0),
            At = ReadTime(r, 1),
            Type = r.GetString(2),
            Fingerprint = Text(3),
            Rule = Text(4),
            Device = Text(5),
            Route = Text(6),
            Receiver = Text(7),
            NotificationId = Text(8),
            Message = r.GetString(9),
        };
    }

    private static (string Sql, IEnumerable<(string, object?)> Parameters) EventStatement(EventRecord e, Func<DateTimeOffset, object> toDb) =>
        ($"INSERT INTO events ({EventColumns[4..]}) VALUES (@e_at, @e_type, @e_fingerprint, @e_rule, @e_device, @e_route, @e_receiver, @e_notification_id, @e_message)",
        [
            ("e_at", toDb(e.At)), ("e_type", e.Type), ("e_fingerprint", e.Fingerprint), ("e_rule", e.Rule), ("e_device", e.Device),
            ("e_route", e.Route), ("e_receiver", e.Receiver), ("e_notification_id", e.NotificationId), ("e_message", e.Message),
        ]);

    private (string Sql, IEnumerable<(string, object?)> Parameters) EventStatement(EventRecord e) => EventStatement(e, ToDb);

    private async Task InsertEventAsync(DbConnection connection, DbTransaction? transaction, EventRecord e, CancellationToken cancellationToken)
    {
        var (sql, parameters) = EventStatement(e);
        await ExecuteAsync(connection, transaction, sql, parameters, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Runs <paramref name="statements"/> all or nothing (their parameter names must differ). This default uses a
    /// transaction; PostgreSQL sends them as one batch, which the server runs as one implicit transaction in one round trip.
    /// </summary>
    protected virtual async Task WriteAtomicallyAsync(IReadOnlyList<(string Sql, IEnumerable<(string, object?)> Parameters)> statements, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        foreach (var (sql, parameters) in statements)
        {
            await ExecuteAsync(connection, transaction, sql, parameters, cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<T>> QueryAsync<T>(string sql, IEnumerable<(string, object?)> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken).ConfigureAwait(false);
        return await QueryAsync(connection, null, sql, parameters, read, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<T>> QueryAsync<T>(
        DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string, object?)> parameters, Func<DbDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
        var results = new List<T>();
        while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
        {
            results.Add(read(reader));
        }

        return results;
    }

    /// <summary>Runs a statement; returns the rows affected.</summary>
    protected static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string Name, object? Value)> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string, object?)> parameters, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, IEnumerable<(string Name, object? Value)> parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }

        return command;
    }
}
