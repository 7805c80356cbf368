using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Http;

/// <summary>A request the API server refuses, with the code, reason and message the real server would answer.</summary>
public sealed class ApiException(int code, string reason, string message) : Exception(message)
{
    /// <summary>HTTP status code.</summary>
    public int Code { get; } = code;

    /// <summary>metav1.StatusReason, e.g. NotFound.</summary>
    public string Reason { get; } = reason;

    /// <summary>Field-level causes (422 Invalid, 409 apply conflicts).</summary>
    public IReadOnlyList<(string Field, string Reason, string Message)> Causes { get; init; } = [];

    /// <summary>details.kind: the resource (plural) or kind concerned.</summary>
    public string? Kind { get; init; }

    /// <summary>details.name: the object concerned.</summary>
    public string? Name { get; init; }

    /// <summary>details.group.</summary>
    public string? Group { get; init; }

    /// <summary>The metav1.Status body.</summary>
    public JsonObject ToStatus()
    {
        var details = new JsonObject();
        if (Name is not null)
        {
            details["name"] = Name;
        }

        if (Group is not null)
        {
            details["group"] = Group;
        }

        if (Kind is not null)
        {
            details["kind"] = Kind;
        }

        if (Causes.Count > 0)
        {
            details["causes"] = new JsonArray([.. Causes.Select(c => (JsonNode)new JsonObject { ["reason"] = c.Reason, ["message"] = c.Message, ["field"] = c.Field })]);
        }

        var status = new JsonObject
        {
            ["kind"] = "Status",
            ["apiVersion"] = "v1",
            ["metadata"] = new JsonObject(),
            ["status"] = "Failure",
            ["message"] = Message,
            ["reason"] = Reason,
        };
        if (details.Count > 0)
        {
            status["details"] = details;
        }

        status["code"] = Code;
        return status;
    }

    public static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    public static ApiException NotFound(string resource, string name) =>
        new(404, "NotFound", $"{resource} \"{name}\" not found") { Kind = resource.Split('.')[0], Name = name, Group = resource.Contains('.') ? resource[(resource.IndexOf('.') + 1)..] : null };

    public static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);
}
