namespace Iot.Api.Crds;

/// <summary>Marks a free-form JSON property: <c>x-kubernetes-preserve-unknown-fields: true</c>, never pruned.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PreserveUnknownFieldsAttribute : Attribute;
