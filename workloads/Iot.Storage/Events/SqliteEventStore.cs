using System.Data.Common;

using Microsoft.Data.Sqlite;

namespace Iot.Storage.Events;

/// <summary>The event store in a SQLite file (dev mode, single node): times as Unix milliseconds, JSON as text, WAL journal.</summary>
public sealed class SqliteEventStore(string path) : SqlEventStore
{
    private readonly string connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 30,
    }.ToString();

    /// <inheritdoc />
    protected override async ValueTask<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;", [], cancellationToken).ConfigureAwait(false);
        return connection;
    }

    private protected override string MigrationSql(EventStoreMigration migration) => migration.Sqlite;

    // SQLite transactions from Microsoft.Data.Sqlite begin IMMEDIATE: the write lock is already held.
    /// <inheritdoc />
    protected override Task LockForMigrationAsync(DbConnection connection, DbTransaction transaction, CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    protected override string Json(string parameter) => parameter;

    /// <inheritdoc />
    protected override object ToDb(DateTimeOffset value) => value.ToUnixTimeMilliseconds();

    /// <inheritdoc />
    protected override DateTimeOffset ReadTime(DbDataReader reader, int ordinal) => DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(ordinal));

    /// <inheritdoc />
    public override ValueTask DisposeAsync()
    {
        SqliteConnection.ClearPool(new SqliteConnection(connectionString));
        return ValueTask.CompletedTask;
    }
}
