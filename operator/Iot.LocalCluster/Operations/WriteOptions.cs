namespace Iot.LocalCluster.Operations;

/// <summary>Query parameters of a write: field manager, force (apply), field validation; warnings collected for the response.</summary>
internal sealed record WriteOptions(string? FieldManager, bool Force, string FieldValidation)
{
    public List<string> Warnings { get; } = [];
}
