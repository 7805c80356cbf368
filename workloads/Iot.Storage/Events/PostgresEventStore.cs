using System.Data.Common;

using Npgsql;

namespace Iot.Storage.Events;

/// <summary>The event store on PostgreSQL (production): timestamptz times, jsonb labels and matchers.</summary>
public sealed class PostgresEventStore(string connectionString) : SqlEventStore
{
    // Any constant, the same in every notify process, so concurrent start-ups migrate one after the other.
    private const long MigrationLockKey = 0x10_7_0_71F7;

    private readonly NpgsqlDataSource dataSource = NpgsqlDataSource.Create(connectionString);

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken) =>
        await dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

    private protected override string MigrationSql(EventStoreMigration migration) => migration.Postgres;

    /// <inheritdoc />
    protected override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) =>
        ExecuteAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({MigrationLockKey})", [], cancellationToken);

    /// <inheritdoc />
    protected override string Json(string parameter) => parameter + "::jsonb";

    /// <inheritdoc />
    protected override object ToDb(DateTimeOffset value) => value.ToUniversalTime();

    /// <inheritdoc />
    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => reader.GetFieldValue<DateTimeOffset>(ordinal);

    /// <inheritdoc />
    protected override async Task WriteAtomicallyAsync(IReadOnlyList<(string Sql, IEnumerable<(string, object?)> Parameters)> statements, CancellationToken cancellationToken)
    {
        await using var batch = dataSource.CreateBatch();
        foreach (var (sql, parameters) in statements)
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var (name, value) in parameters)
            {
                command.Parameters.AddWithValue(name, value ?? DBNull.Value);
            }

            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public override ValueTask DisposeAsync() => dataSource.DisposeAsync();
}
