using Iot.Api.Common;
using Iot.Api.Rooms;
using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

namespace Iot.Operator.Rooms;

/// <summary>
/// What a Room's retention is in InfluxDB (DESIGN.md §6), pure: in the namespace's database, the policy
/// <c>&lt;room&gt;_raw</c> keeping raw points, one policy <c>&lt;room&gt;_&lt;every&gt;</c> per rollup, and one continuous
/// query per rollup writing mean, min, max and count of every field from the raw policy into it.
/// </summary>
/// <param name="Policies">The retention policies.</param>
/// <param name="Queries">The rollup continuous queries.</param>
public sealed record RetentionPlan(IReadOnlyList<RetentionPolicy> Policies, IReadOnlyList<ContinuousQuery> Queries)
{
    /// <summary>Raw points are kept this long when a Room does not say.</summary>
    public static readonly TimeSpan DefaultRaw = TimeSpan.FromDays(7);

    /// <summary>The plan of <paramref name="room"/> in database <paramref name="database"/> (its namespace).</summary>
    public static RetentionPlan For(string database, Room room)
    {
        ArgumentNullException.ThrowIfNull(room);
        var name = room.Metadata.Name;
        var retention = room.Spec?.Retention;
        var raw = retention?.Raw is { } text ? Duration.Parse(text) : DefaultRaw;
        var policies = new List<RetentionPolicy> { new(RetentionPolicyNames.Raw(name), raw, TimeSpan.Zero) };
        var queries = new List<ContinuousQuery>();
        foreach (var rollup in retention?.Rollups ?? [])
        {
            var every = Duration.Parse(rollup.Every);
            policies.Add(new RetentionPolicy(RetentionPolicyNames.Rollup(name, every), Duration.Parse(rollup.Keep), TimeSpan.Zero));
            queries.Add(RollupQuery.ForRoom(database, name, every));
        }

        return new RetentionPlan(policies, queries);
    }

    /// <summary>Whether a policy or continuous query name belongs to <paramref name="room"/> (Room names cannot contain '_').</summary>
    public static bool BelongsTo(string name, string room) => name.StartsWith(room + "_", StringComparison.Ordinal);
}
