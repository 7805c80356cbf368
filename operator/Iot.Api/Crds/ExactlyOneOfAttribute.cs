namespace Iot.Api.Crds;

/// <summary>
/// Exactly one of the named properties must be set. Becomes a CEL rule (<c>x-kubernetes-validations</c>) in the CRD,
/// because OpenAPI cannot say it, and is checked in C# by <c>ResourceValidator</c>, because not every API server
/// (nor <c>iotctl validate</c>) evaluates CEL.
/// </summary>
/// <param name="properties">C# property names (use nameof).</param>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ExactlyOneOfAttribute(params string[] properties) : Attribute
{
    /// <summary>The C# property names, exactly one of which must be non-null.</summary>
    public IReadOnlyList<string> Properties { get; } = properties;
}
