using System.Text.RegularExpressions;

using Iot.Analytics.History;
using Iot.Analytics.Http;
using Iot.Analytics.Inventory;
using Iot.Analytics.Live;
using Iot.Analytics.Planning;
using Iot.Analytics.Rejections;
using Iot.Api.Devices;
using Iot.Storage.TimeSeries;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

using ApiDuration = Iot.Api.Common.Duration;

namespace Iot.Analytics.Sensors;

/// <summary><c>GET /sensors</c>, <c>/sensors/{id}/data</c> and <c>/sensors/{id}/rejections</c>.</summary>
internal static partial class SensorEndpoints
{
    public static void MapSensors(this RouteGroupBuilder api)
    {
        var sensors = api.MapGroup("/sensors").WithTags("Sensors");
        sensors.MapGet("/", List).WithName("ListSensors").WithSummary("Devices with their type, room, online state and latest values.");
        sensors.MapGet("/{id}/data", Data).WithName("GetSensorData")
            .WithSummary("A device's history: raw points, or one aggregate per step and field (from raw points or a rollup).");
        sensors.MapGet("/{id}/rejections", Rejections).WithName("GetSensorRejections")
            .WithSummary("The latest telemetry messages of a device that ingest rejected, and why.");
    }

    private static Results<Ok<SensorList>, ValidationProblem> List(
        HttpContext context, DeviceInventory inventory, LiveTelemetry live, TimeProvider time, IOptions<AnalyticsOptions> options,
        string? room = null, string? type = null, string? after = null, int? limit = null)
    {
        var max = options.Value.MaxPoints;
        if (limit is < 1 || limit > max)
        {
            var problems = new RequestProblems();
            problems.Add("limit", $"limit must be between 1 and {max}");
            return problems.ToResult();
        }

        var now = time.GetUtcNow();
        var matching = inventory.Devices()
            .Where(d => (room is null || d.Spec.Room == room) && (type is null || d.Spec.Type == type))
            .ToList();
        var page = matching.Where(d => after is null || string.CompareOrdinal(d.Metadata.Name, after) > 0).Take((limit ?? max) + 1).ToList();
        var more = page.Count > (limit ?? max);
        var items = page.Take(limit ?? max).Select(d => Summarize(d, live, now, options.Value.DefaultHeartbeatTimeout)).ToList();
        return TypedResults.Ok(new SensorList(items, matching.Count, more ? PageLink.Next(context, ("after", items[^1].Id)) : null));
    }

    private static async Task<Results<Ok<SensorData>, ValidationProblem, ProblemHttpResult>> Data(
        string id, HttpContext context, DeviceInventory inventory, LiveTelemetry live, ITimeSeriesStore store, HistoryReader reader,
        TimeProvider time, IOptions<AnalyticsOptions> options, CancellationToken cancellationToken,
        string? from = null, string? to = null, string? fields = null, string? step = null, string? aggregate = null)
    {
        var settings = options.Value;
        if (inventory.Device(id) is not { } device)
        {
            return RequestProblems.NotFound($"There is no Device '{id}' in namespace '{settings.Namespace}'.");
        }

        var now = time.GetUtcNow();
        var problems = new RequestProblems();
        var range = TimeParameters.Range(from, to, TimeSpan.FromHours(1), now, problems);
        var stepSize = TimeParameters.Duration("step", step, problems);
        var function = TimeParameters.Aggregate(aggregate, AggregateFunction.Mean, problems);
        var selected = FieldList(fields, problems);
        if (aggregate is not null && stepSize is null)
        {
            problems.Add("aggregate", "aggregate needs a step: raw points are not aggregated");
        }

        if (problems.Any)
        {
            return problems.ToResult();
        }

        var room = string.IsNullOrEmpty(device.Spec.Room) ? null : device.Spec.Room;
        var levels = RoomRetentionLevels.Of(room, room is null ? null : inventory.Room(room));
        if (stepSize is not { } bucket)
        {
            return TypedResults.Ok(await RawAsync(context, store, settings, device, room, levels.Raw, range.From, range.To, selected, now, cancellationToken));
        }

        selected ??= NumericFields(device, live);
        if (selected.Count == 0)
        {
            problems.Add("fields", $"Device '{id}' declares no numeric telemetry fields and none were seen yet: name the fields to aggregate, e.g. fields=temperature");
            return problems.ToResult();
        }

        var page = HistoryPage.Bound(range.From, range.To, bucket, settings.MaxPoints);
        var outcome = QueryPlanner.Plan(levels, range.From, page.To, bucket, now, settings.RollupLag);
        if (outcome.Plan is not { } plan)
        {
            problems.Add("step", outcome.Problem!);
            return problems.ToResult();
        }

        var buckets = await reader.ReadAsync(settings.Namespace, room, id, selected, function, plan, cancellationToken);
        return TypedResults.Ok(new SensorData(
            id, room, range.From, page.To, ApiDuration.Format(bucket), function.ToString().ToLowerInvariant(), ReadSource.Of(plan), plan.RetainedFrom,
            [.. buckets.Select(b => new SensorPoint(b.Start, b.Values.ToDictionary(v => v.Key, v => (object)v.Value, StringComparer.Ordinal)))],
            page.More ? PageLink.Next(context, ("from", TimeParameters.Format(page.To)), ("to", TimeParameters.Format(range.To))) : null));
    }

    private static async Task<Results<Ok<SensorRejections>, ProblemHttpResult>> Rejections(
        string id, DeviceInventory inventory, IRejectionSource rejections, IOptions<AnalyticsOptions> options, CancellationToken cancellationToken)
    {
        if (inventory.Device(id) is null)
        {
            return RequestProblems.NotFound($"There is no Device '{id}' in namespace '{options.Value.Namespace}'.");
        }

        return TypedResults.Ok(new SensorRejections(id, await rejections.LatestAsync(id, cancellationToken)));
    }

    private static async Task<SensorData> RawAsync(
        HttpContext context, ITimeSeriesStore store, AnalyticsOptions settings, Device device, string? room, RetentionLevel raw,
        DateTimeOffset from, DateTimeOffset to, IReadOnlyList<string>? fields, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var id = device.Metadata.Name;
        var query = new RawQuery(settings.Namespace, id, room, from, to) { Fields = fields, Limit = settings.MaxPoints + 1 };
        var points = await store.QueryRawAsync(query, cancellationToken);
        var more = points.Count > settings.MaxPoints;
        var shown = more ? points.Take(settings.MaxPoints).ToList() : points;

        // The next page starts just after the last point shown (ranges are half-open).
        var next = more ? shown[^1].Timestamp.AddTicks(1) : to;
        return new SensorData(
            id, room, from, more ? next : to, null, null, [ReadSource.Of(new PlanSegment(raw, from, more ? next : to))],
            raw.Covers(from, now) ? null : raw.RetainedFrom(now),
            [.. shown.Select(p => new SensorPoint(p.Timestamp, JsonValues.Of(p.Fields)))],
            more ? PageLink.Next(context, ("from", TimeParameters.Format(next)), ("to", TimeParameters.Format(to))) : null);
    }

    private static SensorSummary Summarize(Device device, LiveTelemetry live, DateTimeOffset now, TimeSpan heartbeat)
    {
        var readings = live.Latest(device.Metadata.Name);
        var lastSeen = DeviceLiveness.LastSeen(device, readings);
        return new SensorSummary(
            device.Metadata.Name,
            device.Spec.Type,
            string.IsNullOrEmpty(device.Spec.Room) ? null : device.Spec.Room,
            DeviceLiveness.IsOnline(device, lastSeen, now, heartbeat),
            lastSeen,
            readings is null ? new Dictionary<string, object>() : JsonValues.Of(readings.Fields.Select(f => KeyValuePair.Create(f.Key, f.Value.Value))));
    }

    private static List<string>? FieldList(string? fields, RequestProblems problems)
    {
        if (fields is null)
        {
            return null;
        }

        var names = fields.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).ToList();
        foreach (var bad in names.Where(n => !Identifier().IsMatch(n)))
        {
            problems.Add("fields", $"'{bad}' is not a field name (letters, digits and underscores, not starting with a digit)");
        }

        if (names.Count == 0)
        {
            problems.Add("fields", "fields is empty; name one or more fields separated by commas, or leave it out");
        }

        return names;
    }

    private static List<string> NumericFields(Device device, LiveTelemetry live)
    {
        var declared = (device.Spec.Telemetry ?? []).Where(f => f.Type is TelemetryType.Number or TelemetryType.Integer).Select(f => f.Name).ToList();
        if (declared.Count > 0 || (device.Spec.Telemetry?.Count ?? 0) > 0)
        {
            return declared;
        }

        return live.Latest(device.Metadata.Name)?.Fields
            .Where(f => f.Value.Value.Kind is TelemetryValueKind.Number or TelemetryValueKind.Integer)
            .Select(f => f.Key).ToList() ?? [];
    }

    [GeneratedRegex(Iot.Api.Common.Names.IdentifierPattern)]
    private static partial Regex Identifier();
}
