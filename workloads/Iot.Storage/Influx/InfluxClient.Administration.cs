using System.Globalization;
using System.Text;

namespace Iot.Storage.Influx;

// Databases, retention policies and continuous queries: what the operator reconciles from Room specs.
public sealed partial class InfluxClient
{
    /// <summary>Creates a database; nothing happens when it exists.</summary>
    public Task CreateDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, $"CREATE DATABASE {InfluxQL.Identifier(database)}", cancellationToken);

    /// <summary>Drops a database and all its data; nothing happens when it does not exist.</summary>
    public Task DropDatabaseAsync(string database, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, $"DROP DATABASE {InfluxQL.Identifier(database)}", cancellationToken);

    /// <summary>The names of all databases.</summary>
    public async Task<IReadOnlyList<string>> ShowDatabasesAsync(CancellationToken cancellationToken = default)
    {
        var series = await QueryAsync(null, "SHOW DATABASES", cancellationToken);
        return [.. series.SelectMany(s => s.Values).Select(row => (string)row[0]!)];
    }

    /// <summary>The retention policies of <paramref name="database"/>, durations parsed from influxd's <c>168h0m0s</c> form.</summary>
    /// <exception cref="InfluxException">The database does not exist (<c>database not found: …</c>).</exception>
    public async Task<IReadOnlyList<RetentionPolicy>> ShowRetentionPoliciesAsync(string database, CancellationToken cancellationToken = default)
    {
        var series = await QueryAsync(null, $"SHOW RETENTION POLICIES ON {InfluxQL.Identifier(database)}", cancellationToken);
        var policies = new List<RetentionPolicy>();
        foreach (var s in series)
        {
            int name = s.ColumnIndex("name"), duration = s.ColumnIndex("duration"), shard = s.ColumnIndex("shardGroupDuration"),
                replicas = s.ColumnIndex("replicaN"), isDefault = s.ColumnIndex("default");
            policies.AddRange(s.Values.Select(row => new RetentionPolicy(
                (string)row[name]!,
                InfluxQL.ParseDuration((string)row[duration]!),
                InfluxQL.ParseDuration((string)row[shard]!),
                Convert.ToInt32(row[replicas], CultureInfo.InvariantCulture),
                row[isDefault] is true)));
        }

        return policies;
    }

    /// <summary>
    /// Creates a retention policy (<c>CREATE RETENTION POLICY … DURATION … REPLICATION … [SHARD DURATION …] [DEFAULT]</c>).
    /// A zero <see cref="RetentionPolicy.ShardGroupDuration"/> lets InfluxDB choose one from the duration.
    /// </summary>
    /// <exception cref="InfluxException">A policy of that name exists with other settings (<c>retention policy already exists</c>); use <see cref="AlterRetentionPolicyAsync"/>.</exception>
    public Task CreateRetentionPolicyAsync(string database, RetentionPolicy policy, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, RetentionPolicyStatement("CREATE", database, policy), cancellationToken);

    /// <summary>
    /// Changes a retention policy's duration, replication and shard group duration, and makes it the default when
    /// <see cref="RetentionPolicy.Default"/> is set (InfluxDB cannot unset a default; make another policy the default).
    /// </summary>
    public Task AlterRetentionPolicyAsync(string database, RetentionPolicy policy, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, RetentionPolicyStatement("ALTER", database, policy), cancellationToken);

    /// <summary>Drops a retention policy and its data; nothing happens when it does not exist.</summary>
    public Task DropRetentionPolicyAsync(string database, string policy, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, $"DROP RETENTION POLICY {InfluxQL.Identifier(policy)} ON {InfluxQL.Identifier(database)}", cancellationToken);

    /// <summary>The continuous queries of <paramref name="database"/> as influxd prints them (see <see cref="ContinuousQuery"/>).</summary>
    public async Task<IReadOnlyList<ContinuousQuery>> ShowContinuousQueriesAsync(string database, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(database);
        var series = await QueryAsync(null, "SHOW CONTINUOUS QUERIES", cancellationToken);
        return [.. series.Where(s => s.Name == database).SelectMany(s => s.Values.Select(row => new ContinuousQuery((string)row[0]!, (string)row[1]!)))];
    }

    /// <summary>Creates a continuous query by running its <see cref="ContinuousQuery.Query"/> (a whole CREATE statement).</summary>
    /// <exception cref="InfluxException">One of that name exists (<c>continuous query already exists</c>), or the statement is invalid.</exception>
    public Task CreateContinuousQueryAsync(ContinuousQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        return ExecuteAsync(null, query.Query, cancellationToken);
    }

    /// <summary>Drops a continuous query (the data it wrote stays).</summary>
    /// <exception cref="InfluxException">It does not exist (<c>continuous query not found</c>).</exception>
    public Task DropContinuousQueryAsync(string database, string name, CancellationToken cancellationToken = default) =>
        ExecuteAsync(null, $"DROP CONTINUOUS QUERY {InfluxQL.Identifier(name)} ON {InfluxQL.Identifier(database)}", cancellationToken);

    private static string RetentionPolicyStatement(string verb, string database, RetentionPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var statement = new StringBuilder()
            .Append(CultureInfo.InvariantCulture, $"{verb} RETENTION POLICY {InfluxQL.Identifier(policy.Name)} ON {InfluxQL.Identifier(database)}")
            .Append(CultureInfo.InvariantCulture, $" DURATION {InfluxQL.Duration(policy.Duration)} REPLICATION {policy.ReplicaN}");
        if (policy.ShardGroupDuration > TimeSpan.Zero)
        {
            statement.Append(" SHARD DURATION ").Append(InfluxQL.DurationLiteral(policy.ShardGroupDuration));
        }

        if (policy.Default)
        {
            statement.Append(" DEFAULT");
        }

        return statement.ToString();
    }
}
