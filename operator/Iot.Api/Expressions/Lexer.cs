using System.Globalization;
using System.Text;

namespace Iot.Api.Expressions;

/// <summary>
/// Splits expression text into tokens. It never throws: the first unreadable character ends the list with an
/// <see cref="TokenKind.Invalid"/> token, so the parser can report it in order with its own errors.
/// </summary>
internal static class Lexer
{
    private static readonly Dictionary<string, TokenKind> Keywords = new(StringComparer.Ordinal)
    {
        ["true"] = TokenKind.True,
        ["false"] = TokenKind.False,
        ["in"] = TokenKind.In,
    };

    private static readonly (string Text, TokenKind Kind)[] Punctuation =
    [
        // Two-character operators first so that "<=" is not read as "<" and "=".
        ("||", TokenKind.OrOr), ("&&", TokenKind.AndAnd), ("==", TokenKind.EqualEqual), ("!=", TokenKind.BangEqual),
        ("<=", TokenKind.LessEqual), (">=", TokenKind.GreaterEqual),
        ("<", TokenKind.Less), (">", TokenKind.Greater), ("+", TokenKind.Plus), ("-", TokenKind.Minus),
        ("*", TokenKind.Star), ("/", TokenKind.Slash), ("%", TokenKind.Percent), ("!", TokenKind.Bang),
        ("?", TokenKind.Question), (":", TokenKind.Colon), (".", TokenKind.Dot), (",", TokenKind.Comma),
        ("(", TokenKind.OpenParen), (")", TokenKind.CloseParen), ("[", TokenKind.OpenBracket), ("]", TokenKind.CloseBracket),
    ];

    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        var position = 0;
        while (true)
        {
            while (position < text.Length && IsWhitespace(text[position]))
            {
                position++;
            }

            if (position >= text.Length)
            {
                tokens.Add(new Token(TokenKind.End, text.Length, ""));
                return tokens;
            }

            var token = Next(text, position);
            tokens.Add(token);
            if (token.Kind == TokenKind.Invalid)
            {
                return tokens;
            }

            position += token.Text.Length;
        }
    }

    private static Token Next(string text, int start)
    {
        var c = text[start];
        if (IsDigit(c))
        {
            return ReadNumber(text, start);
        }

        if (IsIdentifierStart(c))
        {
            var end = start + 1;
            while (end < text.Length && IsIdentifierPart(text[end]))
            {
                end++;
            }

            var name = text[start..end];
            return new Token(Keywords.GetValueOrDefault(name, TokenKind.Identifier), start, name);
        }

        if (c is '"' or '\'')
        {
            return ReadString(text, start);
        }

        foreach (var (symbol, kind) in Punctuation)
        {
            if (string.CompareOrdinal(text, start, symbol, 0, symbol.Length) == 0)
            {
                return new Token(kind, start, symbol);
            }
        }

        var hint = c switch
        {
            '=' => "; use '==' to compare",
            '&' => "; use '&&' for and",
            '|' => "; use '||' for or",
            _ => "",
        };
        var character = char.IsHighSurrogate(c) && start + 1 < text.Length ? text.Substring(start, 2) : c.ToString();
        return Invalid(start, character, $"unexpected character '{character}'{hint}");
    }

    // integer: digits; number: digits '.' digits, and/or an exponent e[+-]digits.
    private static Token ReadNumber(string text, int start)
    {
        var end = SkipDigits(text, start);
        var isInteger = true;
        if (end + 1 < text.Length && text[end] == '.' && IsDigit(text[end + 1]))
        {
            end = SkipDigits(text, end + 1);
            isInteger = false;
        }

        if (end < text.Length && text[end] is 'e' or 'E')
        {
            var digits = end + 1;
            if (digits < text.Length && text[digits] is '+' or '-')
            {
                digits++;
            }

            if (digits < text.Length && IsDigit(text[digits]))
            {
                end = SkipDigits(text, digits);
                isInteger = false;
            }
        }

        var literal = text[start..end];
        if (isInteger)
        {
            return long.TryParse(literal, NumberStyles.None, CultureInfo.InvariantCulture, out var integer)
                ? new Token(TokenKind.Integer, start, literal, integer)
                : Invalid(start, literal, $"integer {literal} is too large; the largest is {long.MaxValue}");
        }

        var number = double.Parse(literal, NumberStyles.Float, CultureInfo.InvariantCulture);
        return double.IsFinite(number)
            ? new Token(TokenKind.Number, start, literal, number)
            : Invalid(start, literal, $"number {literal} is too large");
    }

    private static Token ReadString(string text, int start)
    {
        var quote = text[start];
        var value = new StringBuilder();
        var position = start + 1;
        while (position < text.Length && text[position] != '\n')
        {
            var c = text[position];
            if (c == quote)
            {
                return new Token(TokenKind.String, start, text[start..(position + 1)], value.ToString());
            }

            if (c != '\\')
            {
                value.Append(c);
                position++;
                continue;
            }

            if (position + 1 >= text.Length)
            {
                break;
            }

            char? escaped = text[position + 1] switch
            {
                '\\' => '\\',
                '\'' => '\'',
                '"' => '"',
                'n' => '\n',
                't' => '\t',
                _ => null,
            };
            if (escaped is null)
            {
                var sequence = text.Substring(position, 2);
                return Invalid(position, sequence, $"unknown escape '{sequence}' in string; use \\\\, \\', \\\", \\n or \\t");
            }

            value.Append(escaped.Value);
            position += 2;
        }

        return Invalid(start, text[start..position], "unterminated string");
    }

    private static Token Invalid(int offset, string text, string message) => new(TokenKind.Invalid, offset, text, message);

    private static int SkipDigits(string text, int position)
    {
        while (position < text.Length && IsDigit(text[position]))
        {
            position++;
        }

        return position;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private static bool IsDigit(char c) => c is >= '0' and <= '9';

    private static bool IsIdentifierStart(char c) => c is (>= 'a' and <= 'z') or (>= 'A' and <= 'Z') or '_';

    private static bool IsIdentifierPart(char c) => IsIdentifierStart(c) || IsDigit(c);
}
