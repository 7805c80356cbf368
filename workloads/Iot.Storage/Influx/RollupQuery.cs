using Iot.Storage.TimeSeries;

namespace Iot.Storage.Influx;

/// <summary>
/// The continuous query that rolls a Room's raw telemetry up into one of its rollup policies: every field's mean, min,
/// max and count per interval and per series (all tags kept), into the same measurement names in the rollup policy,
/// where the fields are named <c>mean_&lt;field&gt;</c>, <c>min_&lt;field&gt;</c>, <c>max_&lt;field&gt;</c>,
/// <c>count_&lt;field&gt;</c>. Built in the exact form influxd prints it back, so the operator detects drift by
/// comparing <see cref="ContinuousQuery.Query"/> with what <see cref="InfluxClient.ShowContinuousQueriesAsync"/> returns.
/// </summary>
public static class RollupQuery
{
    /// <summary>
    /// The rollup CQ of <paramref name="room"/> every <paramref name="every"/> in <paramref name="database"/>, named
    /// like its target policy (<see cref="RetentionPolicyNames.Rollup"/>), reading <see cref="RetentionPolicyNames.Raw"/>.
    /// For lab-1 every 5 minutes in ns1: <c>CREATE CONTINUOUS QUERY "lab-1_5m" ON ns1 BEGIN SELECT mean(*), min(*),
    /// max(*), count(*) INTO ns1."lab-1_5m".:MEASUREMENT FROM ns1."lab-1_raw"./.*/ GROUP BY time(5m), * END</c>.
    /// </summary>
    public static ContinuousQuery ForRoom(string database, string room, TimeSpan every) =>
        Create(database, RetentionPolicyNames.Raw(room), RetentionPolicyNames.Rollup(room, every), every);

    /// <summary>A rollup CQ from any source policy into any target policy, named like the target.</summary>
    public static ContinuousQuery Create(string database, string sourcePolicy, string targetPolicy, TimeSpan every)
    {
        var db = InfluxQL.Identifier(database);
        var name = InfluxQL.Identifier(targetPolicy);
        return new ContinuousQuery(
            targetPolicy,
            $"CREATE CONTINUOUS QUERY {name} ON {db} BEGIN SELECT mean(*), min(*), max(*), count(*) " +
            $"INTO {db}.{name}.:MEASUREMENT FROM {db}.{InfluxQL.Identifier(sourcePolicy)}./.*/ " +
            $"GROUP BY time({InfluxQL.DurationLiteral(every)}), * END");
    }

    /// <summary>
    /// The rollup of <paramref name="room"/> every <paramref name="every"/> over a past range, as a <c>SELECT … INTO</c>
    /// to run with <see cref="InfluxClient.ExecuteAsync"/>: the continuous query only computes intervals as they end,
    /// so this fills a new rollup policy from raw data that was there before it. Idempotent (rows are overwritten).
    /// </summary>
    public static string Backfill(string database, string room, TimeSpan every, DateTimeOffset from, DateTimeOffset to)
    {
        var db = InfluxQL.Identifier(database);
        return $"SELECT mean(*), min(*), max(*), count(*) INTO {db}.{InfluxQL.Identifier(RetentionPolicyNames.Rollup(room, every))}.:MEASUREMENT " +
            $"FROM {db}.{InfluxQL.Identifier(RetentionPolicyNames.Raw(room))}./.*/ " +
            $"WHERE time >= {InfluxQL.TimeLiteral(from)} AND time < {InfluxQL.TimeLiteral(to)} GROUP BY time({InfluxQL.DurationLiteral(every)}), *";
    }
}
