namespace Iot.Api.Expressions;

/// <summary>A problem found in an expression, with the position it points at.</summary>
/// <param name="Offset">0-based offset into the expression text.</param>
/// <param name="Column">1-based column, <c>Offset + 1</c>: the text is counted as one line, a line break being one character.</param>
/// <param name="Message">What is wrong and, where it helps, what would be accepted.</param>
public sealed record ExpressionDiagnostic(int Offset, int Column, string Message)
{
    internal static ExpressionDiagnostic At(int offset, string message) => new(offset, offset + 1, message);

    /// <inheritdoc />
    public override string ToString() => $"column {Column}: {Message}";
}
