namespace Iot.Api.Expressions;

/// <summary>The kinds of lexical tokens.</summary>
internal enum TokenKind
{
    Integer,
    Number,
    String,
    Identifier,
    True,
    False,
    In,
    OrOr,
    AndAnd,
    EqualEqual,
    BangEqual,
    Less,
    LessEqual,
    Greater,
    GreaterEqual,
    Plus,
    Minus,
    Star,
    Slash,
    Percent,
    Bang,
    Question,
    Colon,
    Dot,
    Comma,
    OpenParen,
    CloseParen,
    OpenBracket,
    CloseBracket,

    /// <summary>End of the text.</summary>
    End,

    /// <summary>Text the lexer could not read; lexing stops here and <see cref="Token.Value"/> holds the message.</summary>
    Invalid,
}
