using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

using Iot.LocalCluster.Operations;
using Iot.LocalCluster.Resources;
using Iot.LocalCluster.Storage;

using Microsoft.AspNetCore.Http;

namespace Iot.LocalCluster.Http;

/// <summary>The Kubernetes REST API over HTTP: routing, verbs, query parameters, Status errors, tables and watches.</summary>
internal sealed class ApiServer(ObjectStore store, ResourceRegistry registry, ResourceOperations operations, RequestLog log, TimeProvider time, TimeSpan bookmarkInterval)
{
    // Relaxed escaping keeps managedFields keys readable (k:{"name":"web"} rather than k:{\u0022name\u0022...}).
    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task HandleAsync(HttpContext context)
    {
        try
        {
            await RouteAsync(context);
        }
        catch (ApiException e)
        {
            await WriteAsync(context, e.Code, e.ToStatus());
        }
        catch (BadHttpRequestException e)
        {
            await WriteAsync(context, 400, ApiException.BadRequest(e.Message).ToStatus());
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the client went away
        }
    }

    private async Task RouteAsync(HttpContext context)
    {
        var path = context.Request.Path.Value?.TrimEnd('/') ?? "";
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        switch (segments)
        {
            case ["version"]:
                await WriteAsync(context, 200, Discovery.Version());
                return;
            case ["healthz"] or ["readyz"] or ["livez"]:
                context.Response.ContentType = "text/plain";
                await context.Response.WriteAsync("ok", context.RequestAborted);
                return;
            case ["openapi", "v3"]:
                await WriteAsync(context, 200, OpenApiDocuments.Root(registry));
                return;
            case ["openapi", "v3", "api", var version]:
                await WriteAsync(context, 200, OpenApiDocuments.GroupVersion(registry, "", version));
                return;
            case ["openapi", "v3", "apis", var group, var version]:
                await WriteAsync(context, 200, OpenApiDocuments.GroupVersion(registry, group, version));
                return;
            case ["api"]:
                await WriteAsync(context, 200, Discovery.CoreVersions(context.Request.Host.Value ?? "127.0.0.1"));
                return;
            case ["api", "v1"]:
                await WriteAsync(context, 200, Discovery.Resources(registry, "", "v1"));
                return;
            case ["apis"]:
                await WriteAsync(context, 200, Discovery.Groups(registry));
                return;
            case ["apis", var group] when registry.All.FirstOrDefault(r => r.Type.Group == group) is { } any:
                await WriteAsync(context, 200, Discovery.Group(group, any.Type.Version));
                return;
            case ["apis", var group, var version] when registry.ServesGroupVersion(group, version):
                await WriteAsync(context, 200, Discovery.Resources(registry, group, version));
                return;
            case ["api", "v1", .. var rest]:
                await ResourceAsync(context, "", "v1", rest);
                return;
            case ["apis", var group, var version, .. var rest] when registry.ServesGroupVersion(group, version):
                await ResourceAsync(context, group, version, rest);
                return;
            default:
                await WriteAsync(context, 404, new ApiException(404, "NotFound", "the server could not find the requested resource").ToStatus());
                return;
        }
    }

    private async Task ResourceAsync(HttpContext context, string group, string version, string[] rest)
    {
        var target = RequestPath.Parse(group, version, rest, r => registry.Find(group, version, r) is not null)
            ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        var resource = registry.Find(group, version, target.Resource)
            ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        if (target.Subresource.Length > 0 && !(target.Subresource == "status" && resource.Type.HasStatus))
        {
            throw new ApiException(404, "NotFound", $"the server could not find the requested resource ({target.Resource}/{target.Subresource})");
        }

        var query = context.Request.Query;
        var method = context.Request.Method;
        var isWatch = query["watch"] is ["1" or "true"];
        var verb = (method, target.Name.Length > 0) switch
        {
            ("GET", true) => "get",
            ("GET", false) => isWatch ? "watch" : "list",
            ("POST", false) => "create",
            ("PUT", true) => "update",
            ("PATCH", true) => "patch",
            ("DELETE", true) => "delete",
            ("DELETE", false) => "deletecollection",
            _ => throw ApiException.MethodNotAllowed($"the server does not allow this method on the requested resource ({method} {context.Request.Path})"),
        };
        log.Add(new ApiRequest(verb, group, target.Resource, target.Subresource, target.Namespace, target.Name, context.Request.Headers.UserAgent.ToString()));
        if (query["dryRun"].Count > 0)
        {
            throw ApiException.BadRequest("dryRun is not supported by the local cluster (a development and test server)");
        }

        if (context.Request.ContentType?.StartsWith("application/vnd.kubernetes.protobuf", StringComparison.Ordinal) == true)
        {
            throw new ApiException(415, "UnsupportedMediaType", "the body of the request was in an unknown format - accepted media types include: application/json, application/yaml (protobuf is not supported by the local cluster)");
        }

        var options = new WriteOptions(query["fieldManager"].FirstOrDefault(), DefaultManager(context), query["force"] is ["true"], FieldValidation(query["fieldValidation"].FirstOrDefault()));
        var ns = target.Namespace;
        var type = resource.Type;
        switch (verb)
        {
            case "get":
                var found = store.Get(type, type.Namespaced ? ns : null, target.Name) ?? throw ApiException.NotFound(type, target.Name);
                await WriteObjectAsync(context, resource, 200, found);
                return;
            case "list":
                var list = store.List(type, type.Namespaced && ns.Length > 0 ? ns : null, ListOptionsFrom(query));
                await WriteListAsync(context, resource, list);
                return;
            case "watch":
                await WatchAsync(context, resource, type.Namespaced && ns.Length > 0 ? ns : null);
                return;
            case "create":
                var created = operations.Create(resource, ns, await ReadObjectAsync(context), options);
                await WriteObjectAsync(context, resource, 201, created, options);
                return;
            case "update":
                var updated = operations.Update(resource, ns, target.Name, target.Subresource, await ReadObjectAsync(context), options);
                await WriteObjectAsync(context, resource, 200, updated, options);
                return;
            case "patch":
                var (patched, wasCreated) = operations.Patch(resource, ns, target.Name, target.Subresource, context.Request.ContentType ?? "", await ReadBodyAsync(context), options);
                await WriteObjectAsync(context, resource, wasCreated ? 201 : 200, patched, options);
                return;
            case "delete":
                var deleted = operations.Delete(resource, ns, target.Name, await DeleteOptionsFromAsync(context));
                await WriteObjectAsync(context, resource, 200, deleted);
                return;
            default:
                var removed = operations.DeleteCollection(resource, ns, ListOptionsFrom(query), await DeleteOptionsFromAsync(context));
                await WriteListAsync(context, resource, new ObjectList(removed, store.ResourceVersion, null, null));
                return;
        }
    }

    // Without ?fieldManager= the real server names the manager after the client's User-Agent (e.g. kubectl-client-side-apply).
    private static string DefaultManager(HttpContext context) =>
        context.Request.Headers.UserAgent.ToString().Split('/')[0] is { Length: > 0 } agent ? agent : "unknown";

    // kubectl sends fieldValidation=Strict; the real server's default for other clients is Warn.
    private static string FieldValidation(string? value) => value switch
    {
        null or "" => "Warn",
        "Strict" or "Warn" or "Ignore" => value,
        _ => throw ApiException.BadRequest($"fieldValidation must be one of Strict, Warn or Ignore, not {value}"),
    };

    private static ListOptions ListOptionsFrom(IQueryCollection query) => new(
        query["labelSelector"].FirstOrDefault() is { Length: > 0 } l ? l : null,
        query["fieldSelector"].FirstOrDefault() is { Length: > 0 } f ? f : null,
        query["limit"].FirstOrDefault() is { Length: > 0 } limit && int.TryParse(limit, CultureInfo.InvariantCulture, out var n) && n > 0 ? n : null,
        query["continue"].FirstOrDefault() is { Length: > 0 } c ? c : null);

    private static async Task<DeleteOptions> DeleteOptionsFromAsync(HttpContext context)
    {
        var policy = context.Request.Query["propagationPolicy"].FirstOrDefault();
        string? uid = null, resourceVersion = null;
        var body = await ReadBodyAsync(context);
        if (body.Length > 0)
        {
            var options = Parse(body) as JsonObject;
            policy ??= (string?)options?["propagationPolicy"];
            uid = (string?)options?["preconditions"]?["uid"];
            resourceVersion = (string?)options?["preconditions"]?["resourceVersion"];
            if (policy is null && (bool?)options?["orphanDependents"] == true)
            {
                policy = "Orphan";
            }
        }

        var propagation = policy switch
        {
            null or "" or "Background" => PropagationPolicy.Background,
            "Foreground" => PropagationPolicy.Foreground,
            "Orphan" => PropagationPolicy.Orphan,
            _ => throw ApiException.BadRequest($"propagationPolicy must be Background, Foreground or Orphan, not {policy}"),
        };
        return new DeleteOptions(propagation, uid, resourceVersion);
    }

    private async Task WatchAsync(HttpContext context, ServedResource resource, string? ns)
    {
        var query = context.Request.Query;
        long? from = query["resourceVersion"].FirstOrDefault() is { Length: > 0 } rv
            ? long.TryParse(rv, CultureInfo.InvariantCulture, out var parsed) ? parsed : throw ApiException.BadRequest($"invalid resourceVersion \"{rv}\"")
            : null;
        var timeout = query["timeoutSeconds"].FirstOrDefault() is { Length: > 0 } t && int.TryParse(t, CultureInfo.InvariantCulture, out var seconds)
            ? TimeSpan.FromSeconds(seconds) : TimeSpan.FromMinutes(30);
        var bookmarks = query["allowWatchBookmarks"] is ["true" or "1"];
        var asTable = TableConverter.Wants(context.Request.Headers.Accept.ToString());
        var includeObject = query["includeObject"].FirstOrDefault() ?? "Metadata";
        var listOptions = ListOptionsFrom(query);

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        StoreWatch watch;
        try
        {
            watch = store.Watch(resource.Type, ns, new WatchOptions(from, listOptions.LabelSelector, listOptions.FieldSelector));
        }
        catch (ApiException e) when (e.Code == 410)
        {
            // An expired resourceVersion is reported inside the stream, as the real server does.
            await WriteEventAsync(context, "ERROR", e.ToStatus());
            return;
        }

        using (watch)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
            deadline.CancelAfter(timeout);
            using var bookmarkTimer = bookmarks ? new Timer(_ => watch.RequestBookmark(), null, bookmarkInterval, bookmarkInterval) : null;
            await context.Response.StartAsync(context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            try
            {
                await foreach (var e in watch.Events.ReadAllAsync(deadline.Token))
                {
                    var obj = asTable && e.Type != "BOOKMARK"
                        ? TableConverter.Convert(resource, [e.Object], (string?)e.Object["metadata"]?["resourceVersion"] ?? "", null, includeObject, time.GetUtcNow())
                        : e.Object;
                    await WriteEventAsync(context, e.Type, obj);
                }
            }
            catch (OperationCanceledException) when (!context.RequestAborted.IsCancellationRequested)
            {
                // timeoutSeconds elapsed: end the stream normally
            }
        }
    }

    private static async Task WriteEventAsync(HttpContext context, string type, JsonObject obj)
    {
        var line = new JsonObject { ["type"] = type, ["object"] = obj }.ToJsonString(Compact) + "\n";
        await context.Response.WriteAsync(line, context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    private async Task WriteObjectAsync(HttpContext context, ServedResource resource, int code, JsonObject obj, WriteOptions? options = null)
    {
        foreach (var warning in options?.Warnings ?? [])
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"")}\"");
        }

        if (TableConverter.Wants(context.Request.Headers.Accept.ToString()) && context.Request.Method == "GET")
        {
            var rv = (string?)obj["metadata"]?["resourceVersion"] ?? "";
            await WriteAsync(context, code, TableConverter.Convert(resource, [obj], rv, null, context.Request.Query["includeObject"].FirstOrDefault() ?? "Metadata", time.GetUtcNow()));
            return;
        }

        await WriteAsync(context, code, obj);
    }

    private async Task WriteListAsync(HttpContext context, ServedResource resource, ObjectList list)
    {
        var rv = list.ResourceVersion.ToString(CultureInfo.InvariantCulture);
        if (TableConverter.Wants(context.Request.Headers.Accept.ToString()))
        {
            await WriteAsync(context, 200, TableConverter.Convert(resource, list.Items, rv, list.Continue, context.Request.Query["includeObject"].FirstOrDefault() ?? "Metadata", time.GetUtcNow()));
            return;
        }

        var metadata = new JsonObject { ["resourceVersion"] = rv };
        if (list.Continue is not null)
        {
            metadata["continue"] = list.Continue;
        }

        if (list.RemainingItemCount is { } remaining)
        {
            metadata["remainingItemCount"] = remaining;
        }

        await WriteAsync(context, 200, new JsonObject
        {
            ["kind"] = resource.Type.ListKind,
            ["apiVersion"] = resource.Type.ApiVersion,
            ["metadata"] = metadata,
            ["items"] = new JsonArray([.. list.Items]),
        });
    }

    private static async Task WriteAsync(HttpContext context, int code, JsonObject body)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(body.ToJsonString(Compact), context.RequestAborted);
    }

    private static async Task<string> ReadBodyAsync(HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        return await reader.ReadToEndAsync(context.RequestAborted);
    }

    private static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        Parse(await ReadBodyAsync(context)) as JsonObject ?? throw ApiException.BadRequest("the request body must be a JSON object");

    private static JsonNode? Parse(string body)
    {
        try
        {
            return JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"the request body is not valid JSON: {e.Message}");
        }
    }
}
