namespace Iot.Api.Validation;

/// <summary>What is wrong with one field, in the vocabulary of the Kubernetes API server's status causes.</summary>
public enum FieldErrorKind
{
    /// <summary>The value is not acceptable (FieldValueInvalid).</summary>
    Invalid,

    /// <summary>A required field is missing (FieldValueRequired).</summary>
    Required,

    /// <summary>The value is not one of the allowed values (FieldValueNotSupported).</summary>
    NotSupported,

    /// <summary>The value has the wrong JSON type (FieldValueTypeInvalid).</summary>
    TypeInvalid,

    /// <summary>The value repeats one that must be unique (FieldValueDuplicate).</summary>
    Duplicate,

    /// <summary>The field is not part of the schema (FieldValueUnknown; pruned by a lenient server).</summary>
    Unknown,

    /// <summary>The field may not be set in this combination (FieldValueForbidden).</summary>
    Forbidden,
}

/// <summary>One validation finding: the field's path (<c>spec.telemetry[1].type</c>) and what is wrong with it.</summary>
/// <param name="Path">Dotted field path from the object's root, with <c>[i]</c> for list items.</param>
/// <param name="Message">What is wrong and, where it helps, what to do.</param>
/// <param name="Kind">The category of the error.</param>
public sealed record FieldError(string Path, string Message, FieldErrorKind Kind = FieldErrorKind.Invalid)
{
    /// <summary>The Kubernetes status cause reason for <see cref="Kind"/>.</summary>
    public string Reason => Kind switch
    {
        FieldErrorKind.Required => "FieldValueRequired",
        FieldErrorKind.NotSupported => "FieldValueNotSupported",
        FieldErrorKind.TypeInvalid => "FieldValueTypeInvalid",
        FieldErrorKind.Duplicate => "FieldValueDuplicate",
        FieldErrorKind.Unknown => "FieldValueUnknown",
        FieldErrorKind.Forbidden => "FieldValueForbidden",
        _ => "FieldValueInvalid",
    };

    /// <inheritdoc />
    public override string ToString() => $"{Path}: {Message}";
}
