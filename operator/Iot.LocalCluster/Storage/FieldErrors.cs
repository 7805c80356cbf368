namespace Iot.LocalCluster.Storage;

/// <summary>Builds the causes of a 422 Invalid in the real server's wording (<c>Required value: ...</c>, <c>Invalid value: "x": ...</c>).</summary>
internal static class FieldErrors
{
    public static (string Field, string Reason, string Message) Required(string field, string detail) =>
        (field, "FieldValueRequired", $"Required value: {detail}");

    public static (string Field, string Reason, string Message) Invalid(string field, string value, string detail) =>
        InvalidRendered(field, $"\"{value}\"", detail);

    /// <summary>An invalid value that is not a string, rendered as the real server renders it (e.g. <c>0x0</c> for an empty resourceVersion).</summary>
    public static (string Field, string Reason, string Message) InvalidRendered(string field, string renderedValue, string detail) =>
        (field, "FieldValueInvalid", $"Invalid value: {renderedValue}: {detail}");
}
