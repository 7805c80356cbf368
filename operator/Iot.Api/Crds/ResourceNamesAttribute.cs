namespace Iot.Api.Crds;

/// <summary>The names a kind is known by besides its kind and plural (which <c>KubernetesEntity</c> carries).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ResourceNamesAttribute(string singular, params string[] shortNames) : Attribute
{
    /// <summary>Lower-case singular name, e.g. <c>device</c>.</summary>
    public string Singular { get; } = singular;

    /// <summary>Short names usable with kubectl, e.g. <c>iotdev</c>.</summary>
    public IReadOnlyList<string> ShortNames { get; } = shortNames;
}
