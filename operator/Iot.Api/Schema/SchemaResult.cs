using Iot.Api.Validation;

namespace Iot.Api.Schema;

/// <summary>The outcome of <see cref="StructuralSchema.Apply"/>: validation errors and the unknown fields that were pruned.</summary>
/// <param name="Errors">Schema violations in document order (pre-order: a node's own errors before its children's).</param>
/// <param name="UnknownFields">
/// Fields the schema does not know, already removed from the object, each with <see cref="FieldErrorKind.Unknown"/> and the
/// message <c>unknown field "name"</c>. Kept apart from <see cref="Errors"/> because callers differ: the API server drops
/// them silently (or rejects them under <c>fieldValidation=Strict</c>), the offline validator reports them as errors.
/// </param>
public sealed record SchemaResult(IReadOnlyList<FieldError> Errors, IReadOnlyList<FieldError> UnknownFields)
{
    /// <summary>True when there are no <see cref="Errors"/>; unknown fields do not count.</summary>
    public bool IsValid => Errors.Count == 0;
}
