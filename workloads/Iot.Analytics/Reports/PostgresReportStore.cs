using System.Data.Common;

using Npgsql;

namespace Iot.Analytics.Reports;

/// <summary>Reports in PostgreSQL (the body as <c>jsonb</c>). Migrations run under a transaction-scoped advisory lock.</summary>
public sealed class PostgresReportStore(NpgsqlDataSource dataSource) : SqlReportStore
{
    // An arbitrary constant naming "analytics report schema" among the advisory locks of a database shared with notify.
    private const long MigrationLock = 0x4961_6E61_6C79_7473;

    /// <inheritdoc/>
    protected override IReadOnlyList<string> Migrations { get; } =
    [
        """
        CREATE TABLE analytics_reports (
            id TEXT PRIMARY KEY,
            namespace TEXT NOT NULL,
            created_at TIMESTAMPTZ NOT NULL,
            period_from TIMESTAMPTZ NOT NULL,
            period_to TIMESTAMPTZ NOT NULL,
            body JSONB NOT NULL
        );
        CREATE INDEX analytics_reports_by_namespace ON analytics_reports (namespace, created_at);
        """,
    ];

    /// <inheritdoc/>
    protected override string InsertSql =>
        "INSERT INTO analytics_reports (id, namespace, created_at, period_from, period_to, body) VALUES (@id, @namespace, @created_at, @period_from, @period_to, CAST(@body AS jsonb))";

    /// <inheritdoc/>
    protected override async Task<DbConnection> OpenAsync(CancellationToken cancellationToken) => await dataSource.OpenConnectionAsync(cancellationToken);

    /// <inheritdoc/>
    protected override async Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = $"SELECT pg_advisory_xact_lock({MigrationLock})";
        await command.ExecuteNonQueryAsync(cancellationToken);
        return transaction;
    }
}
