using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Storage;

/// <summary>
/// A client error as the Kubernetes API server reports it: HTTP status code, reason (NotFound, AlreadyExists, Conflict,
/// Invalid, Expired, BadRequest, Forbidden, Gone), message, and the details of a <c>Status</c> object.
/// </summary>
public sealed class StoreException : Exception
{
    private const string NoSuchResource = "the server could not find the requested resource";

    public StoreException(
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

    internal static StoreException NotFound(ResourceType type, string name) =>
        new(404, "NotFound", $"{ResourceName(type)} \"{name}\" not found", kind: type.Plural, name: name, group: type.Group);

    internal static StoreException NamespaceNotFound(string ns) =>
        new(404, "NotFound", $"namespaces \"{ns}\" not found", kind: "namespaces", name: ns, group: "");

    internal static StoreException NoSuchSubresource() => new(404, "NotFound", NoSuchResource);

    internal static StoreException AlreadyExists(ResourceType type, string name) =>
        new(409, "AlreadyExists", $"{ResourceName(type)} \"{name}\" already exists", kind: type.Plural, name: name, group: type.Group);

    internal static StoreException Conflict(ResourceType type, string name, string problem) =>
        new(409, "Conflict", $"Operation cannot be fulfilled on {ResourceName(type)} \"{name}\": {problem}", kind: type.Plural, name: name, group: type.Group);

    internal static StoreException Modified(ResourceType type, string name) =>
        Conflict(type, name, "the object has been modified; please apply your changes to the latest version and try again");

    internal static StoreException Invalid(ResourceType type, string name, IReadOnlyList<(string Field, string Reason, string Message)> causes)
    {
        // The real server prints one error as is and several as a bracketed list.
        var errors = causes.Select(c => $"{c.Field}: {c.Message}").ToList();
        var joined = errors.Count == 1 ? errors[0] : $"[{string.Join(", ", errors)}]";
        var qualifiedKind = type.Group.Length == 0 ? type.Kind : $"{type.Kind}.{type.Group}";
        return new(422, "Invalid", $"{qualifiedKind} \"{name}\" is invalid: {joined}", causes, type.Kind, name, type.Group);
    }

    internal static StoreException Forbidden(ResourceType type, string name, string problem) =>
        new(403, "Forbidden", $"{ResourceName(type)} \"{name}\" is forbidden: {problem}", kind: type.Plural, name: name, group: type.Group);

    internal static StoreException BadRequest(string message) => new(400, "BadRequest", message);

    internal static StoreException Expired(string message) => new(410, "Expired", message);

    /// <summary>How messages name a resource: <c>plural.group</c>, or just the plural in the core group.</summary>
    internal static string ResourceName(ResourceType type) => type.Group.Length == 0 ? type.Plural : $"{type.Plural}.{type.Group}";
}
