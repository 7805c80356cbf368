using System.Globalization;
using System.Text.Json.Nodes;

namespace Iot.LocalCluster.Patching;

/// <summary>One entry of <c>metadata.managedFields</c>: the fields a manager owns through one kind of write.</summary>
/// <param name="Manager">The field manager, e.g. kubectl or iot-operator.</param>
/// <param name="Operation"><see cref="ApplyOperation"/> or <see cref="UpdateOperation"/>.</param>
/// <param name="ApiVersion">The apiVersion the manager wrote with.</param>
/// <param name="Time">When the manager last changed the object, as written (RFC 3339, seconds, UTC); null when unknown.</param>
/// <param name="Fields">The owned fields.</param>
/// <param name="Subresource">Empty for the main resource, e.g. status for writes to /status.</param>
internal sealed record ManagedFieldsEntry(string Manager, string Operation, string ApiVersion, string? Time, FieldSet Fields, string Subresource = "")
{
    public const string ApplyOperation = "Apply";

    public const string UpdateOperation = "Update";

    private const string FieldsTypeV1 = "FieldsV1";

    public bool IsWriter(string manager, string operation, string subresource) =>
        Manager == manager && Operation == operation && Subresource == subresource;

    public static string FormatTime(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The entries of <c>metadata.managedFields</c>; none when the object has none.</summary>
    public static List<ManagedFieldsEntry> ReadFrom(JsonObject obj)
    {
        return obj["metadata"]?["managedFields"] switch
        {
            null => [],
            JsonArray entries => [.. entries.Select(Parse)],
            _ => throw new PatchException("metadata.managedFields must be a list"),
        };
    }

    /// <summary>Replaces <c>metadata.managedFields</c> with <paramref name="entries"/> in the API server's order, dropping entries that own nothing.</summary>
    public static void WriteTo(JsonObject obj, IEnumerable<ManagedFieldsEntry> entries)
    {
        List<ManagedFieldsEntry> kept = [.. entries.Where(entry => !entry.Fields.IsEmpty)
            .OrderBy(entry => entry.Operation, StringComparer.Ordinal)
            .ThenBy(entry => entry.Time is null ? DateTimeOffset.MinValue : DateTimeOffset.Parse(entry.Time, CultureInfo.InvariantCulture))
            .ThenBy(entry => entry.Manager, StringComparer.Ordinal)
            .ThenBy(entry => entry.ApiVersion, StringComparer.Ordinal)
            .ThenBy(entry => entry.Subresource, StringComparer.Ordinal)];
        if (kept.Count == 0)
        {
            (obj["metadata"] as JsonObject)?.Remove("managedFields");
            return;
        }
        JsonObject metadata = obj["metadata"] as JsonObject ?? [];
        obj["metadata"] = metadata;
        metadata["managedFields"] = new JsonArray([.. kept.Select(entry => entry.ToJson())]);
    }

    public JsonObject ToJson()
    {
        JsonObject json = new()
        {
            ["manager"] = Manager,
            ["operation"] = Operation,
            ["apiVersion"] = ApiVersion,
        };
        if (Time is not null)
        {
            json["time"] = Time;
        }
        json["fieldsType"] = FieldsTypeV1;
        json["fieldsV1"] = Fields.ToFieldsV1();
        if (Subresource.Length > 0)
        {
            json["subresource"] = Subresource;
        }
        return json;
    }

    private static ManagedFieldsEntry Parse(JsonNode? node)
    {
        if (node is not JsonObject json)
        {
            throw new PatchException("every metadata.managedFields entry must be an object");
        }
        string? fieldsType = Text(json, "fieldsType");
        if (fieldsType is not null and not FieldsTypeV1)
        {
            throw new PatchException($"metadata.managedFields: fieldsType \"{fieldsType}\" is not supported, only {FieldsTypeV1}");
        }
        string? time = Text(json, "time");
        if (time is not null && !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, out _))
        {
            throw new PatchException($"metadata.managedFields: time \"{time}\" is not an RFC 3339 time");
        }
        FieldSet fields = json["fieldsV1"] switch
        {
            null => FieldSet.Empty,
            JsonObject fieldsV1 => FieldSet.FromFieldsV1(fieldsV1),
            _ => throw new PatchException("metadata.managedFields: fieldsV1 must be an object"),
        };
        return new(
            Text(json, "manager") ?? "",
            Text(json, "operation") ?? UpdateOperation,
            Text(json, "apiVersion") ?? "",
            time,
            fields,
            Text(json, "subresource") ?? "");
    }

    private static string? Text(JsonObject json, string member)
    {
        return json[member] switch
        {
            null => null,
            JsonValue value when value.TryGetValue(out string? text) => text,
            _ => throw new PatchException($"metadata.managedFields: {member} must be a string"),
        };
    }
}
