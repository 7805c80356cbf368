namespace Iot.Api.Crds;

/// <summary>An additionalPrinterColumn of the kind's CRD: what <c>kubectl get</c> shows.</summary>
/// <param name="name">Column header, e.g. <c>Type</c>.</param>
/// <param name="jsonPath">JSONPath into the object, e.g. <c>.spec.type</c>.</param>
/// <param name="type">OpenAPI type of the column: string, integer, number, boolean or date.</param>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name, string jsonPath, string type = "string") : Attribute
{
    /// <summary>Column header.</summary>
    public string Name { get; } = name;

    /// <summary>JSONPath into the object.</summary>
    public string JsonPath { get; } = jsonPath;

    /// <summary>OpenAPI type of the column.</summary>
    public string Type { get; } = type;

    /// <summary>Column description shown by <c>kubectl explain</c>-like tools.</summary>
    public string? Description { get; init; }

    /// <summary>0 shows the column by default; higher only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}
