namespace Iot.Cli.Validation;

/// <summary>One finding of <c>iotctl validate</c>, located in a file.</summary>
internal sealed record Diagnostic(string File, int Line, string? Kind, string? Name, string? Namespace, string? Field, string Message, bool IsWarning)
{
    /// <summary><c>file:line: Kind/name: field.path: message</c>, with <c>warning:</c> after the location for warnings.</summary>
    public override string ToString()
    {
        var what = Kind is null ? "" : $"{Kind}/{(string.IsNullOrEmpty(Name) ? "<unnamed>" : Name)}: ";
        var field = Field is null ? "" : $"{Field}: ";
        return $"{File}:{Line}: {(IsWarning ? "warning: " : "")}{what}{field}{Message}";
    }
}
