namespace Iot.LocalCluster.Patching;

/// <summary>One field a server-side apply would change although another manager owns it.</summary>
/// <param name="Manager">The owning manager, as written in managedFields.</param>
/// <param name="Field">The field in the API server's notation, e.g. <c>.spec.replicas</c> or <c>.spec.containers[name="web"].image</c>.</param>
/// <param name="Message">The owner as the API server describes it in a FieldManagerConflict cause, e.g. <c>conflict with "kubectl-edit" using apps/v1</c>.</param>
public sealed record ApplyConflict(string Manager, string Field, string Message)
{
    public override string ToString() => $"{Message}: {Field}";

    internal static ApplyConflict With(ManagedFieldsEntry owner, FieldPath field) => new(owner.Manager, field.ToString(), "conflict with " + DescribeOwner(owner));

    /// <summary>The API server's wording: Update owners are named with the version and time they wrote, since one manager may write several times.</summary>
    internal static string DescribeOwner(ManagedFieldsEntry owner)
    {
        string description = $"\"{owner.Manager}\"";
        if (owner.Subresource.Length > 0)
        {
            description += $" with subresource \"{owner.Subresource}\"";
        }
        if (owner.Operation == ManagedFieldsEntry.UpdateOperation)
        {
            description += $" using {owner.ApiVersion}";
            if (owner.Time is not null)
            {
                description += $" at {owner.Time}";
            }
        }
        return description;
    }
}
