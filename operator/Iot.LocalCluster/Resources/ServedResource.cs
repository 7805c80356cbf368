using System.Text.Json.Nodes;

using Iot.Api.Schema;

namespace Iot.LocalCluster.Resources;

/// <summary>A resource as served: its type and, for custom resources, the schema and printer columns of its CRD.</summary>
/// <remarks>OpenApiSchema is the CRD's openAPIV3Schema as written, for OpenAPI documents (kubectl explain).</remarks>
internal sealed record ServedResource(ResourceType Type, StructuralSchema? Schema, IReadOnlyList<PrinterColumn> Columns, JsonObject? OpenApiSchema = null)
{
    public bool IsCustom => Schema is not null;
}
