using System.Data.Common;
using System.Text.Json;

namespace Iot.Analytics.Reports;

/// <summary>
/// The report store over ADO.NET: table <c>analytics_reports</c> (id, namespace, created_at, period_from, period_to and
/// the report as a JSON document), and <c>analytics_schema_version</c> recording the migrations applied. Migrations
/// are numbered from 1 and applied in order, each in the transaction that records it, under a lock the dialect takes
/// (so replicas starting together apply each once).
/// </summary>
public abstract class SqlReportStore : IReportStore
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The schema's migrations, in order: migration n brings version n - 1 to n.</summary>
    protected abstract IReadOnlyList<string> Migrations { get; }

    /// <summary>The latest schema version.</summary>
    public int LatestVersion => Migrations.Count;

    /// <inheritdoc/>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = await BeginMigrationAsync(connection, cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS analytics_schema_version (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)", cancellationToken);
        var current = await CurrentVersionAsync(connection, transaction, cancellationToken);
        if (current > Migrations.Count)
        {
            throw new InvalidOperationException(
                $"The report schema is at version {current}, newer than this build knows ({Migrations.Count}): a newer analytics migrated it. Run that version.");
        }

        for (var version = current + 1; version <= Migrations.Count; version++)
        {
            await ExecuteAsync(connection, transaction, Migrations[version - 1], cancellationToken);
            await using var record = Command(connection, transaction, "INSERT INTO analytics_schema_version (version, applied_at) VALUES (@version, @at)");
            Parameter(record, "version", version);
            Parameter(record, "at", DateTimeOffset.UtcNow.ToString("O"));
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>The schema version recorded (0 before the first migration).</summary>
    public async Task<int> SchemaVersionAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await CurrentVersionAsync(connection, null, cancellationToken);
    }

    /// <inheritdoc/>
    public async Task SaveAsync(Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, InsertSql);
        Parameter(command, "id", report.Id);
        Parameter(command, "namespace", report.Namespace);
        Parameter(command, "created_at", report.CreatedAt);
        Parameter(command, "period_from", report.From);
        Parameter(command, "period_to", report.To);
        Parameter(command, "body", JsonSerializer.Serialize(report, Json));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc/>
    public async Task<Report?> GetAsync(string ns, string id, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = Command(connection, null, "SELECT body FROM analytics_reports WHERE namespace = @namespace AND id = @id");
        Parameter(command, "namespace", ns);
        Parameter(command, "id", id);
        return await command.ExecuteScalarAsync(cancellationToken) is string body ? JsonSerializer.Deserialize<Report>(body, Json) : null;
    }

    /// <summary>The INSERT of a report with parameters @id, @namespace, @created_at, @period_from, @period_to, @body.</summary>
    protected abstract string InsertSql { get; }

    /// <summary>An open connection.</summary>
    protected abstract Task<DbConnection> OpenAsync(CancellationToken cancellationToken);

    /// <summary>A transaction holding the lock that serializes migrations.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellationToken);

    private static async Task<int> CurrentVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellationToken)
    {
        try
        {
            await using var command = Command(connection, transaction, "SELECT COALESCE(MAX(version), 0) FROM analytics_schema_version");
            return Convert.ToInt32(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (DbException) when (transaction is null)
        {
            return 0; // no table yet
        }
    }

    private static async Task ExecuteAsync(DbConnection connection, DbTransaction transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = Command(connection, transaction, sql);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        return command;
    }

    private static void Parameter(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
