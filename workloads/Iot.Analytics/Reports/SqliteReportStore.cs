using System.Data.Common;

using Microsoft.Data.Sqlite;

namespace Iot.Analytics.Reports;

/// <summary>Reports in an SQLite file (the embedded default). Migrations run under <c>BEGIN IMMEDIATE</c> (SQLite's write lock).</summary>
public sealed class SqliteReportStore(string path) : SqlReportStore
{
    private readonly string connectionString = new SqliteConnectionStringBuilder { DataSource = path, DefaultTimeout = 30 }.ToString();

    /// <inheritdoc/>
    protected override IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE analytics_reports (
            id TEXT PRIMARY KEY,
            namespace TEXT NOT NULL,
            created_at TEXT NOT NULL,
            period_from TEXT NOT NULL,
            period_to TEXT NOT NULL,
            body TEXT NOT NULL
        );
        CREATE INDEX analytics_reports_by_namespace ON analytics_reports (namespace, created_at);
        """,
    ];

    /// <inheritdoc/>
    protected override string InsertSql =>
        "INSERT INTO analytics_reports (id, namespace, created_at, period_from, period_to, body) VALUES (@id, @namespace, @created_at, @period_from, @period_to, @body)";

    /// <inheritdoc/>
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    /// <inheritdoc/>
    protected override Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        return Task.FromResult<DbTransaction>(((SqliteConnection)connection).BeginTransaction(deferred: false));
    }
}
