using Iot.Api.Schema;

namespace Iot.LocalCluster.Resources;

/// <summary>A resource as served: its type and, for custom resources, the schema and printer columns of its CRD.</summary>
internal sealed record ServedResource(ResourceType Type, StructuralSchema? Schema, IReadOnlyList<PrinterColumn> Columns)
{
    public bool IsCustom => Schema is not null;
}
