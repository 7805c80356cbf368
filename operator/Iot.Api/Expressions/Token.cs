namespace Iot.Api.Expressions;

/// <summary>One lexical token.</summary>
/// <param name="Kind">What the token is.</param>
/// <param name="Offset">Where it starts in the text.</param>
/// <param name="Text">The source text of the token.</param>
/// <param name="Value">The value of a literal, the message of an <see cref="TokenKind.Invalid"/> token, otherwise null.</param>
internal readonly record struct Token(TokenKind Kind, int Offset, string Text, object? Value = null)
{
    /// <summary>How messages refer to the token: <c>')'</c>, <c>'humidity'</c> or <c>end of input</c>.</summary>
    public string Describe() => Kind == TokenKind.End ? "end of input" : $"'{Text}'";
}
