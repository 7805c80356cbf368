using Iot.Storage.Influx;
using Iot.Storage.TimeSeries;

namespace Iot.Operator.Rooms;

/// <summary>
/// Makes InfluxDB hold a Room's <see cref="RetentionPlan"/>: creates what is missing, alters policies whose duration
/// drifted, replaces continuous queries that differ, drops the Room's continuous queries no longer planned. Reports
/// every change it made, so a repaired drift can be told to the user.
/// </summary>
public sealed class RetentionApplier(InfluxClient client, TimeSpan defaultRaw)
{
    /// <summary>The InfluxDB URL (for messages).</summary>
    public string Address => client.Options.Url.ToString();

    /// <summary>Applies <paramref name="plan"/> for <paramref name="room"/> in <paramref name="database"/>; returns what had to change (empty when nothing did).</summary>
    public async Task<IReadOnlyList<string>> ApplyAsync(string database, string room, RetentionPlan plan, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(plan);
        var changes = new List<string>();
        await client.CreateDatabaseAsync(database, cancellationToken).ConfigureAwait(false);
        var policies = (await client.ShowRetentionPoliciesAsync(database, cancellationToken).ConfigureAwait(false)).ToDictionary(p => p.Name, StringComparer.Ordinal);

        // Devices without a room write into default_raw: the namespace needs it as soon as it has a Room or a Device.
        var desired = plan.Policies.Prepend(new RetentionPolicy(RetentionPolicyNames.DefaultRaw, defaultRaw, TimeSpan.Zero));
        foreach (var policy in desired)
        {
            if (!policies.TryGetValue(policy.Name, out var existing))
            {
                await client.CreateRetentionPolicyAsync(database, policy, cancellationToken).ConfigureAwait(false);
                changes.Add($"created retention policy {policy.Name} ({policy.Duration})");
            }
            else if (existing.Duration != policy.Duration && policy.Name != RetentionPolicyNames.DefaultRaw)
            {
                await client.AlterRetentionPolicyAsync(database, policy with { ShardGroupDuration = existing.ShardGroupDuration }, cancellationToken).ConfigureAwait(false);
                changes.Add($"changed retention policy {policy.Name} from {existing.Duration} to {policy.Duration}");
            }
        }

        var queries = (await client.ShowContinuousQueriesAsync(database, cancellationToken).ConfigureAwait(false))
            .Where(q => RetentionPlan.BelongsTo(q.Name, room))
            .ToDictionary(q => q.Name, StringComparer.Ordinal);
        foreach (var query in plan.Queries)
        {
            if (queries.Remove(query.Name, out var existing))
            {
                if (existing.Query == query.Query)
                {
                    continue;
                }

                await client.DropContinuousQueryAsync(database, query.Name, cancellationToken).ConfigureAwait(false);
                changes.Add($"replaced continuous query {query.Name}");
            }
            else
            {
                changes.Add($"created continuous query {query.Name}");
            }

            await client.CreateContinuousQueryAsync(query, cancellationToken).ConfigureAwait(false);
        }

        foreach (var stale in queries.Keys)
        {
            await client.DropContinuousQueryAsync(database, stale, cancellationToken).ConfigureAwait(false);
            changes.Add($"dropped continuous query {stale} (its rollup left the spec; the policy's data expires on its own)");
        }

        return changes;
    }

    /// <summary>On the Room's deletion: drops its continuous queries, and with <paramref name="deleteData"/> its policies and their data.</summary>
    public async Task RemoveAsync(string database, string room, bool deleteData, CancellationToken cancellationToken)
    {
        if (!(await client.ShowDatabasesAsync(cancellationToken).ConfigureAwait(false)).Contains(database))
        {
            return;
        }

        foreach (var query in await client.ShowContinuousQueriesAsync(database, cancellationToken).ConfigureAwait(false))
        {
            if (RetentionPlan.BelongsTo(query.Name, room))
            {
                await client.DropContinuousQueryAsync(database, query.Name, cancellationToken).ConfigureAwait(false);
            }
        }

        if (deleteData)
        {
            foreach (var policy in await client.ShowRetentionPoliciesAsync(database, cancellationToken).ConfigureAwait(false))
            {
                if (RetentionPlan.BelongsTo(policy.Name, room))
                {
                    await client.DropRetentionPolicyAsync(database, policy.Name, cancellationToken).ConfigureAwait(false);
                }
            }
        }
    }
}
