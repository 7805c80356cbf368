using System.Globalization;
using System.Text.Json.Nodes;

using Iot.LocalCluster.Resources;

namespace Iot.LocalCluster.Http;

/// <summary>
/// Server-side printing (<c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>): a meta.k8s.io/v1 Table built from a
/// CRD's additionalPrinterColumns, or Name and Age for built-in kinds.
/// </summary>
internal static class TableConverter
{
    public static bool Wants(string? accept) => accept is not null && accept.Contains("as=Table", StringComparison.Ordinal);

    public static JsonObject Convert(ServedResource resource, IEnumerable<JsonObject> objects, string resourceVersion, string? continueToken, string includeObject, DateTimeOffset now)
    {
        var columns = new JsonArray { Column("Name", "string", "name", "Name must be unique within a namespace.", 0) };
        var custom = resource.Columns;
        foreach (var c in custom)
        {
            columns.Add(Column(c.Name, c.Type, "", c.Description, c.Priority));
        }

        if (!resource.IsCustom)
        {
            columns.Add(Column("Age", "string", "", "CreationTimestamp is the time the object was created.", 0));
        }

        var rows = new JsonArray();
        foreach (var obj in objects)
        {
            var cells = new JsonArray { (string?)obj["metadata"]?["name"] };
            foreach (var c in custom)
            {
                cells.Add(Cell(obj, c, now));
            }

            if (!resource.IsCustom)
            {
                cells.Add(Age((string?)obj["metadata"]?["creationTimestamp"], now));
            }

            var row = new JsonObject { ["cells"] = cells };
            if (includeObject != "None")
            {
                row["object"] = includeObject == "Object" ? obj.DeepClone() : new JsonObject
                {
                    ["kind"] = "PartialObjectMetadata",
                    ["apiVersion"] = "meta.k8s.io/v1",
                    ["metadata"] = obj["metadata"]?.DeepClone(),
                };
            }

            rows.Add(row);
        }

        var metadata = new JsonObject { ["resourceVersion"] = resourceVersion };
        if (continueToken is not null)
        {
            metadata["continue"] = continueToken;
        }

        return new JsonObject
        {
            ["kind"] = "Table",
            ["apiVersion"] = "meta.k8s.io/v1",
            ["metadata"] = metadata,
            ["columnDefinitions"] = columns,
            ["rows"] = rows,
        };
    }

    private static JsonObject Column(string name, string type, string format, string description, int priority) => new()
    {
        ["name"] = name,
        ["type"] = type,
        ["format"] = format,
        ["description"] = description,
        ["priority"] = priority,
    };

    // As the real server: date columns become a human age (kubectl prints cells as they come).
    private static JsonNode? Cell(JsonObject obj, PrinterColumn column, DateTimeOffset now)
    {
        var values = JsonPathQuery.Select(obj, column.JsonPath);
        if (values.Count == 0)
        {
            return null;
        }

        if (values.Count > 1)
        {
            return string.Join(",", values.Select(v => v is JsonValue ? v.ToString() : v.ToJsonString()));
        }

        var value = values[0];
        if (column.Type == "date")
        {
            return Age(value.ToString(), now);
        }

        return value is JsonValue ? value.DeepClone() : value.ToJsonString();
    }

    // kubectl's own short form: 45s, 5m, 3h, 2d.
    private static string Age(string? timestamp, DateTimeOffset now)
    {
        if (!DateTimeOffset.TryParse(timestamp, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var created))
        {
            return "<unknown>";
        }

        var age = now - created;
        return age.TotalSeconds < 120 ? $"{Math.Max(0, (int)age.TotalSeconds)}s"
            : age.TotalMinutes < 120 ? $"{(int)age.TotalMinutes}m"
            : age.TotalHours < 48 ? $"{(int)age.TotalHours}h"
            : $"{(int)age.TotalDays}d";
    }
}
