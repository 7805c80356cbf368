using Iot.Analytics.History;
using Iot.Analytics.Http;
using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Analytics.Planning;
using Iot.Api.Rooms;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Rooms;

/// <summary><c>GET /rooms</c>, <c>/rooms/{id}/metrics</c> and <c>/rooms/{id}/history</c>.</summary>
internal static class RoomEndpoints
{
    public static void MapRooms(this RouteGroupBuilder api)
    {
        var rooms = api.MapGroup("/rooms").WithTags("Rooms");
        rooms.MapGet("/", List).WithName("ListRooms").WithSummary("Rooms with their device counts, metrics and retention.");
        rooms.MapGet("/{id}/metrics", Metrics).WithName("GetRoomMetrics")
            .WithSummary("A room's current metrics, kept live from its devices' telemetry (no store query).");
        rooms.MapGet("/{id}/history", History).WithName("GetRoomHistory")
            .WithSummary("A room metric per step, read from raw points or the coarsest rollup that serves the step; the response says which.");
    }

    private static Results<Ok<RoomList>, ValidationProblem> List(
        HttpContext context, DeviceInventory inventory, LiveRoomMetrics live, IOptions<AnalyticsOptions> options, string? after = null, int? limit = null)
    {
        var max = options.Value.MaxPoints;
        if (limit is < 1 || limit > max)
        {
            var problems = new RequestProblems();
            problems.Add("limit", $"limit must be between 1 and {max}");
            return problems.ToResult();
        }

        var all = inventory.Rooms();
        var page = all.Where(r => after is null || string.CompareOrdinal(r.Metadata.Name, after) > 0).Take((limit ?? max) + 1).ToList();
        var more = page.Count > (limit ?? max);
        var items = page.Take(limit ?? max).Select(r => Summarize(r, live.Current(r))).ToList();
        return TypedResults.Ok(new RoomList(items, all.Count, more ? PageLink.Next(context, ("after", items[^1].Id)) : null));
    }

    private static Results<Ok<RoomMetricsNow>, ProblemHttpResult> Metrics(string id, DeviceInventory inventory, LiveRoomMetrics live, IOptions<AnalyticsOptions> options) =>
        inventory.Room(id) is { } room
            ? TypedResults.Ok(live.Current(room))
            : RequestProblems.NotFound($"There is no Room '{id}' in namespace '{options.Value.Namespace}'.");

    private static async Task<Results<Ok<RoomHistory>, ValidationProblem, ProblemHttpResult>> History(
        string id, HttpContext context, DeviceInventory inventory, HistoryReader reader, TimeProvider time, IOptions<AnalyticsOptions> options,
        CancellationToken cancellationToken, string? metric = null, string? from = null, string? to = null, string? step = null)
    {
        var settings = options.Value;
        if (inventory.Room(id) is not { } room)
        {
            return RequestProblems.NotFound($"There is no Room '{id}' in namespace '{settings.Namespace}'.");
        }

        var now = time.GetUtcNow();
        var problems = new RequestProblems();
        var definition = Metric(room, metric, problems);
        var range = TimeParameters.Range(from, to, TimeSpan.FromDays(1), now, problems);
        var requested = TimeParameters.Duration("step", step, problems);
        if (problems.Any)
        {
            return problems.ToResult();
        }

        var levels = RoomRetentionLevels.Of(room);
        var outcome = requested is { } size
            ? QueryPlanner.Plan(levels, range.From, range.To, size, now, settings.RollupLag)
            : QueryPlanner.PlanAutomatic(levels, range.From, range.To, settings.MaxPoints, now, settings.RollupLag);
        if (outcome.Plan is null)
        {
            problems.Add("step", outcome.Problem!);
            return problems.ToResult();
        }

        var bucket = outcome.Plan.Step;
        var page = HistoryPage.Bound(range.From, range.To, bucket, settings.MaxPoints);
        var plan = page.More ? QueryPlanner.Plan(levels, range.From, page.To, bucket, now, settings.RollupLag).Plan! : outcome.Plan;
        var buckets = await reader.ReadAsync(settings.Namespace, id, null, [definition.Field], LiveRoomMetrics.Function(definition.Aggregate), plan, cancellationToken);
        var next = page.More
            ? PageLink.Next(context, ("from", TimeParameters.Format(page.To)), ("to", TimeParameters.Format(range.To)), ("step", ApiDuration.Format(bucket)))
            : null;
        return TypedResults.Ok(new RoomHistory(
            id, definition.Name, definition.Field, LiveRoomMetrics.Name(definition.Aggregate ?? Aggregate.Mean), range.From, page.To, ApiDuration.Format(bucket),
            ReadSource.Of(plan), plan.RetainedFrom,
            [.. buckets.Where(b => b.Values.ContainsKey(definition.Field)).Select(b => new RoomHistoryPoint(b.Start, b.Values[definition.Field]))],
            next));
    }

    /// <summary>The room's metric named <paramref name="name"/>; a missing or unknown name is a problem listing the room's metrics.</summary>
    internal static RoomMetric Metric(Room room, string? name, RequestProblems problems)
    {
        var metrics = room.Spec.Metrics ?? [];
        var known = metrics.Count == 0 ? "it defines none (spec.metrics)" : "it has " + string.Join(", ", metrics.Select(m => m.Name));
        if (name is null)
        {
            problems.Add("metric", $"metric is required: name one of Room '{room.Metadata.Name}''s metrics; {known}");
            return new RoomMetric();
        }

        if (metrics.FirstOrDefault(m => m.Name == name) is { } metric)
        {
            return metric;
        }

        problems.Add("metric", $"Room '{room.Metadata.Name}' has no metric '{name}'; {known}");
        return new RoomMetric();
    }

    // Retention as the Room spells it (7d stays 7d), with the default raw retention when it names none.
    private static RoomSummary Summarize(Room room, RoomMetricsNow now) => new(
        room.Metadata.Name, room.Spec.DisplayName, room.Spec.Building, room.Spec.Floor, room.Spec.Capacity, now.Devices, now.Online,
        [.. (room.Spec.Metrics ?? []).Select(m => m.Name)],
        new RoomRetentionSummary(
            room.Spec.Retention?.Raw ?? RoomRetentionLevels.DefaultRawSpec,
            [.. (room.Spec.Retention?.Rollups ?? []).Select(r => new RoomRollup(r.Every, r.Keep))]));
}
