using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster;

/// <summary>
/// A client error as the Kubernetes API server reports it: HTTP status code, reason (NotFound, AlreadyExists, Conflict,
/// Invalid, Expired, BadRequest, Forbidden, Gone), message, and the details of a <c>Status</c> object.
/// </summary>
public sealed class ApiException : Exception
{
    private const string NoSuchResource = "the server could not find the requested resource";

    public ApiException(
        int code,
        string reason,
        string message,
        IReadOnlyList<(string Field, string Reason, string Message)>? causes = null,
        string? kind = null,
        string? name = null,
        string? group = null)
        : base(message)
    {
        Code = code;
        Reason = reason;
        Causes = causes ?? [];
        Kind = kind;
        Name = name;
        Group = group;
    }

    /// <summary>HTTP status code, e.g. 404.</summary>
    public int Code { get; }

    /// <summary>Status reason, e.g. NotFound.</summary>
    public string Reason { get; }

    /// <summary>Field errors of a 422 Invalid: field path, cause type (FieldValueRequired, FieldValueInvalid, ...) and message.</summary>
    public IReadOnlyList<(string Field, string Reason, string Message)> Causes { get; }

    /// <summary>Status details kind: the resource (plural) for NotFound, AlreadyExists and Conflict, the kind for Invalid.</summary>
    public string? Kind { get; }

    /// <summary>Status details name.</summary>
    public string? Name { get; }

    /// <summary>Status details group.</summary>
    public string? Group { get; }

    internal static ApiException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{ResourceName(type)} \"{name}\" not found", kind: type.Plural, name: name, group: type.Group);

    internal static ApiException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", kind: "namespaces", name: ns, group: "");

    internal static ApiException NoSuchSubresource() => new(404, "NotFound", NoSuchResource);

    internal static ApiException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{ResourceName(type)} \"{name}\" already exists", kind: type.Plural, name: name, group: type.Group);

    internal static ApiException Conflict(ResourceType type, string name, string problem) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {ResourceName(type)} \"{name}\": {problem}", kind: type.Plural, name: name, group: type.Group);

    internal static ApiException Modified(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    internal static ApiException Invalid(ResourceType type, string name, IReadOnlyList<(string Field, string Reason, string Message)> causes)
    {
        // The real server prints one error as is and several as a bracketed list.
        var errors = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var joined = errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]";
        var qualifiedKind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", causes, type.Kind, name, type.Group);
    }

    internal static ApiException Forbidden(ResourceType type, string name, string problem) =>
        new(403, "Forbidden", $"{ResourceName(type)} \"{name}\" is forbidden: {problem}", kind: type.Plural, name: name, group: type.Group);

    internal static ApiException BadRequest(string message) => new(400, "BadRequest", message);

    internal static ApiException MethodNotAllowed(string message) => new(405, "MethodNotAllowed", message);

    /// <summary>The metav1.Status body the server answers with.</summary>
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

    internal static ApiException Expired(string message) => new(410, "Expired", message);

    /// <summary>How messages name a resource: <c>plural.group</c>, or just the plural in the core group.</summary>
    internal static string ResourceName(ResourceType type) => type.Group.Length == 0 ? type.Plural : $"{type.Plural}.{type.Group}";
}
