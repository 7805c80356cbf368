namespace Iot.LocalCluster.Operations;

/// <summary>Query parameters of a write: field manager, force (apply), field validation; warnings collected for the response.</summary>
/// <remarks>ClientName is the manager recorded for writes without ?fieldManager= (the real server uses the User-Agent); apply requires FieldManager.</remarks>
internal sealed record WriteOptions(string? FieldManager, string ClientName, bool Force, string FieldValidation)
{
    public string Manager => FieldManager ?? ClientName;

    public List<string> Warnings { get; } = [];
}
