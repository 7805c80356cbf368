using System.Net.WebSockets;
using System.Text.Json;

using Iot.Api.AlertRoutes;
using Iot.Notify.Api;
using Iot.Notify.Delivery;
using Iot.Notify.Grouping;
using Iot.Notify.Hosting;
using Iot.Notify.Routing;
using Iot.Notify.Streaming;
using Iot.Storage.Events;

using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;

namespace Iot.Notify;

/// <summary>
/// The notify HTTP API. Every endpoint needs the bearer token; errors are problem+json, bad input a 400 validation
/// problem naming each field.
/// <list type="bullet">
/// <item><c>POST /notifications/send</c> — an ad-hoc message through a named receiver or the routes (202, the notifications queued)</item>
/// <item><c>GET /events?from=&amp;to=&amp;type=&amp;device=&amp;rule=&amp;fingerprint=&amp;notification=&amp;limit=&amp;cursor=</c> — history, newest first, paged</item>
/// <item><c>GET /alerts?status=firing|resolved|all&amp;rule=&amp;device=&amp;room=&amp;limit=</c> — alerts (firing by default), with silences and acknowledgement</item>
/// <item><c>POST /alerts/{fingerprint}/ack</c> — acknowledge: no more repeats of it while it fires</item>
/// <item><c>GET /silences</c>, <c>POST /silences</c>, <c>DELETE /silences/{id}</c></item>
/// <item><c>GET /routes/test?labels=k=v,...</c> — which routes and receivers an alert with those labels reaches, and why</item>
/// <item><c>GET /ws/notifications</c> — WebSocket: every alert event of the namespace, live, as JSON text messages</item>
/// </list>
/// </summary>
public static class NotifyEndpoints
{
    private const int MaxPage = 1000;

    /// <summary>Maps the notify API.</summary>
    public static IEndpointRouteBuilder MapIotNotify(this IEndpointRouteBuilder endpoints)
    {
        if (endpoints is IApplicationBuilder app)
        {
            app.UseWebSockets(); // /ws/notifications needs the WebSocket middleware; a WebApplication takes it from here
        }

        var api = endpoints.MapGroup("").AddEndpointFilter<BearerTokenFilter>();
        api.MapPost("/notifications/send", SendAsync);
        api.MapGet("/events", QueryEventsAsync);
        api.MapGet("/alerts", ListAlertsAsync);
        api.MapPost("/alerts/{fingerprint}/ack", AcknowledgeAsync);
        api.MapGet("/silences", ListSilencesAsync);
        api.MapPost("/silences", CreateSilenceAsync);
        api.MapDelete("/silences/{id}", ExpireSilenceAsync);
        api.MapGet("/routes/test", TestRoutes);
        api.Map("/ws/notifications", StreamAsync);
        return endpoints;
    }

    private static async Task<IResult> SendAsync(HttpContext context, AlertDispatcher dispatcher, Outbox outbox, IOptions<NotifyOptions> options, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadAsync<SendRequest>(context, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(request!.Message))
        {
            errors["message"] = ["the message text is required"];
        }

        var table = dispatcher.Routes;
        var targets = new List<(CompiledRoute Route, Receiver Receiver)>();
        if (request.Receiver is { } receiverName)
        {
            var routes = table.Routes.Where(r => (request.Route is null || r.Name == request.Route) && r.Receivers.Any(x => x.Name == receiverName)).ToList();
            if (routes.Count == 0)
            {
                return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Receiver not found",
                    detail: request.Route is null ? $"no AlertRoute has a receiver named \"{receiverName}\"" : $"AlertRoute \"{request.Route}\" has no receiver named \"{receiverName}\"");
            }

            if (routes.Count > 1)
            {
                errors["route"] = [$"receiver \"{receiverName}\" is in routes {string.Join(", ", routes.Select(r => r.Name))}; say which with route"];
            }
            else
            {
                targets.Add((routes[0], routes[0].Receivers.First(x => x.Name == receiverName)));
            }
        }
        else
        {
            if (request.Route is { } routeName)
            {
                if (table.Get(routeName) is not { } route)
                {
                    return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Route not found", detail: $"no AlertRoute named \"{routeName}\"");
                }

                targets.AddRange(route.Receivers.Select(r => (route, r)));
            }
            else
            {
                var labels = request.Labels ?? [];
                targets.AddRange(table.Match(labels).SelectMany(route => route.Receivers.Select(r => (route, r))));
                if (targets.Count == 0)
                {
                    errors["labels"] = [labels.Count == 0 ? "give receiver, route or labels that an AlertRoute matches" : "no AlertRoute matches these labels"];
                }
            }
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var queued = new List<object>();
        foreach (var (route, receiver) in targets)
        {
            var record = await outbox.EnqueueAsync(route.Name, receiver, "message", id => new NotificationPayload
            {
                Id = id,
                Kind = "message",
                Namespace = options.Value.Namespace,
                Route = route.Name,
                Receiver = receiver.Name,
                GroupKey = "message",
                Status = "firing",
                Title = request.Title is { Length: > 0 } title ? title : request.Message!.Split('\n')[0],
                Message = request.Message,
                CommonLabels = request.Labels ?? [],
                CreatedAt = time.GetUtcNow(),
            }, cancellationToken);
            queued.Add(new { id = record.Id, route = record.Route, receiver = record.Receiver, type = record.ReceiverType });
        }

        return Results.Accepted(value: new { notifications = queued });
    }

    private static async Task<IResult> QueryEventsAsync(HttpContext context, IEventStore store, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>();
        var from = Time(query, "from", errors);
        var to = Time(query, "to", errors);
        var limit = Number(query, "limit", 1, MaxPage, 100, errors);
        var cursor = query.TryGetValue("cursor", out var c) ? long.TryParse(c, out var parsed) && parsed > 0 ? parsed : Invalid(errors, "cursor", "the cursor must be the next value of a previous page") : (long?)null;
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var page = await store.QueryEventsAsync(new EventQuery
        {
            From = from,
            To = to,
            Type = Text(query, "type"),
            Device = Text(query, "device"),
            Rule = Text(query, "rule"),
            Fingerprint = Text(query, "fingerprint"),
            NotificationId = Text(query, "notification"),
            Before = cursor,
            Limit = limit,
        }, cancellationToken);
        return Results.Ok(new { events = page.Events, next = page.Next?.ToString(System.Globalization.CultureInfo.InvariantCulture) });
    }

    private static async Task<IResult> ListAlertsAsync(HttpContext context, IEventStore store, AlertDispatcher dispatcher, CancellationToken cancellationToken)
    {
        var query = context.Request.Query;
        var errors = new Dictionary<string, string[]>();
        var status = Text(query, "status") ?? "firing";
        if (status is not ("firing" or "resolved" or "all"))
        {
            errors["status"] = ["status must be firing, resolved or all"];
        }

        var limit = Number(query, "limit", 1, MaxPage, 500, errors);
        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var alerts = await store.ListAlertsAsync(new AlertQuery
        {
            Status = status == "all" ? null : status,
            Rule = Text(query, "rule"),
            Device = Text(query, "device"),
            Room = Text(query, "room"),
            Limit = limit,
        }, cancellationToken);
        return Results.Ok(new { alerts = alerts.Select(a => new { alert = a, silencedBy = a.Status == "firing" ? dispatcher.SilencedBy(a.Labels) : [] }) });
    }

    private static async Task<IResult> AcknowledgeAsync(string fingerprint, HttpContext context, IEventStore store, AlertDispatcher dispatcher, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadAsync<AcknowledgeRequest>(context, cancellationToken, allowEmpty: true);
        if (problem is not null)
        {
            return problem;
        }

        var by = request?.By is { Length: > 0 } who ? who : "api";
        if (!await store.AcknowledgeAsync(fingerprint, by, request?.Comment, time.GetUtcNow(), cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Alert not found", detail: $"no alert with fingerprint \"{fingerprint}\"");
        }

        var alert = await store.GetAlertAsync(fingerprint, cancellationToken);
        if (alert?.Status == "firing")
        {
            dispatcher.Acknowledge(fingerprint);
        }

        return Results.Ok(alert);
    }

    private static async Task<IResult> ListSilencesAsync(IEventStore store, TimeProvider time, CancellationToken cancellationToken) =>
        Results.Ok(new { silences = await store.ListSilencesAsync(time.GetUtcNow(), cancellationToken) });

    private static async Task<IResult> CreateSilenceAsync(HttpContext context, IEventStore store, AlertDispatcher dispatcher, TimeProvider time, CancellationToken cancellationToken)
    {
        var (request, problem) = await ReadAsync<SilenceRequest>(context, cancellationToken);
        if (problem is not null)
        {
            return problem;
        }

        var errors = new Dictionary<string, string[]>();
        var matchers = request!.Matchers ?? [];
        if (matchers.Count == 0)
        {
            errors["matchers"] = ["at least one matcher is required, e.g. device=\"thermo-1\""];
        }

        for (var i = 0; i < matchers.Count; i++)
        {
            if (!Matcher.TryParse(matchers[i], out _, out var error))
            {
                errors[$"matchers[{i}]"] = [$"invalid matcher '{matchers[i]}': {error}"];
            }
        }

        var now = time.GetUtcNow();
        var startsAt = request.StartsAt ?? now;
        DateTimeOffset? endsAt = request.EndsAt;
        if (request.Duration is { } duration)
        {
            if (Iot.Api.Common.Duration.TryParse(duration, out var span))
            {
                endsAt ??= startsAt + span;
            }
            else
            {
                errors["duration"] = [Iot.Api.Common.Duration.Describe(duration)];
            }
        }

        if (endsAt is null && !errors.ContainsKey("duration"))
        {
            errors["endsAt"] = ["give endsAt or duration"];
        }
        else if (endsAt <= startsAt || endsAt <= now)
        {
            errors["endsAt"] = ["the silence must end after it starts and in the future"];
        }

        if (string.IsNullOrWhiteSpace(request.CreatedBy))
        {
            errors["createdBy"] = ["say who creates the silence"];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var silence = new SilenceRecord
        {
            Id = Guid.NewGuid().ToString("N"),
            Matchers = matchers,
            StartsAt = startsAt,
            EndsAt = endsAt!.Value,
            CreatedBy = request.CreatedBy!,
            Comment = request.Comment ?? "",
            CreatedAt = now,
        };
        await store.AddSilenceAsync(silence, new EventRecord
        {
            At = now,
            Type = "silence.created",
            Message = $"silence {silence.Id} by {silence.CreatedBy} for {string.Join(", ", matchers)} from {startsAt:O} to {silence.EndsAt:O}" + (silence.Comment.Length > 0 ? $": {silence.Comment}" : ""),
        }, cancellationToken);
        dispatcher.AddSilence(NotifyService.ToSilence(silence));
        return Results.Created($"/silences/{silence.Id}", silence);
    }

    private static async Task<IResult> ExpireSilenceAsync(string id, IEventStore store, AlertDispatcher dispatcher, TimeProvider time, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (!await store.ExpireSilenceAsync(id, now, new EventRecord { At = now, Type = "silence.expired", Message = $"silence {id} expired through the API" }, cancellationToken))
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Silence not found", detail: $"no active silence with id \"{id}\"");
        }

        dispatcher.RemoveSilence(id);
        return Results.NoContent();
    }

    private static IResult TestRoutes(HttpContext context, AlertDispatcher dispatcher, TimeProvider time)
    {
        if (!LabelSet.TryParse(context.Request.Query["labels"], out var labels, out var error))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["labels"] = [error] });
        }

        return Results.Ok(dispatcher.Routes.Test(labels, time.GetUtcNow()));
    }

    private static async Task StreamAsync(HttpContext context, AlertStream stream)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            await Results.Problem(statusCode: StatusCodes.Status400BadRequest, title: "WebSocket required", detail: "connect with a WebSocket client (Upgrade: websocket)").ExecuteAsync(context);
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var subscription = stream.Subscribe();
        var closing = context.RequestAborted;
        var receive = Task.Run(async () =>
        {
            var buffer = new byte[256];
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer, closing);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
        }, closing);
        try
        {
            while (!receive.IsCompleted)
            {
                var next = subscription.Events.WaitToReadAsync(closing).AsTask();
                if (await Task.WhenAny(next, receive) != next || !await next)
                {
                    break;
                }

                while (subscription.Events.TryRead(out var json))
                {
                    await socket.SendAsync(json, WebSocketMessageType.Text, endOfMessage: true, closing);
                }
            }

            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException)
        {
            // The client went away.
        }
    }

    private static async Task<(T? Value, IResult? Problem)> ReadAsync<T>(HttpContext context, CancellationToken cancellationToken, bool allowEmpty = false)
        where T : class
    {
        if (allowEmpty && context.Request.ContentLength is null or 0 && !context.Request.Headers.ContainsKey("Transfer-Encoding"))
        {
            return (null, null);
        }

        try
        {
            var value = await JsonSerializer.DeserializeAsync<T>(context.Request.Body, NotificationPayload.Json, cancellationToken);
            return value is null ? (null, Results.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a JSON object is required"] })) : (value, null);
        }
        catch (JsonException e)
        {
            var field = string.IsNullOrEmpty(e.Path) || e.Path == "$" ? "body" : e.Path.TrimStart('$', '.');
            return (null, Results.ValidationProblem(new Dictionary<string, string[]> { [field] = [$"invalid JSON: {e.Message}"] }));
        }
    }

    private static string? Text(IQueryCollection query, string name) => query.TryGetValue(name, out var v) && v.ToString() is { Length: > 0 } s ? s : null;

    private static DateTimeOffset? Time(IQueryCollection query, string name, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        errors[name] = [$"\"{text}\" is not an ISO-8601 time, e.g. 2026-01-01T00:00:00Z"];
        return null;
    }

    private static int Number(IQueryCollection query, string name, int min, int max, int fallback, Dictionary<string, string[]> errors)
    {
        if (Text(query, name) is not { } text)
        {
            return fallback;
        }

        if (int.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value) && value >= min && value <= max)
        {
            return value;
        }

        errors[name] = [$"{name} must be a whole number from {min} to {max}"];
        return fallback;
    }

    private static long? Invalid(Dictionary<string, string[]> errors, string name, string message)
    {
        errors[name] = [message];
        return null;
    }
}
