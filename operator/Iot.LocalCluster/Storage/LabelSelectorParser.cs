using System.Globalization;

namespace Iot.LocalCluster.Storage;

/// <summary>
/// Parses label selectors with the grammar and error messages of k8s.io/apimachinery/pkg/labels:
/// <c>a=b</c>, <c>a==b</c>, <c>a!=b</c>, <c>a in (x,y)</c>, <c>a notin (x)</c>, <c>a</c>, <c>!a</c>, <c>a&gt;1</c>, <c>a&lt;1</c>, comma-separated.
/// </summary>
internal sealed class LabelSelectorParser
{
    private const string SpecialCharacters = "=!(),<>";
    private const string BinaryOperators = "in, notin, =, ==, !=, gt, lt";

    private readonly string _text;
    private readonly List<Token> _tokens;
    private int _position;

    public LabelSelectorParser(string text)
    {
        _text = text;
        _tokens = Lex(text);
    }

    private enum TokenKind
    {
        Identifier,
        DoesNotExist,
        Equals,
        DoubleEquals,
        NotEquals,
        GreaterThan,
        LessThan,
        In,
        NotIn,
        OpenParenthesis,
        CloseParenthesis,
        Comma,
        End,
    }

    public LabelSelector Parse()
    {
        var requirements = new List<LabelRequirement>();
        while (true)
        {
            var next = PeekValue();
            switch (next.Kind)
            {
                case TokenKind.Identifier or TokenKind.DoesNotExist:
                    requirements.Add(ParseRequirement());
                    var separator = NextValue();
                    if (separator.Kind == TokenKind.End)
                    {
                        return new LabelSelector(requirements);
                    }

                    if (separator.Kind != TokenKind.Comma)
                    {
                        throw Malformed($"found '{separator.Text}', expected: ',' or 'end of string'");
                    }

                    var afterComma = PeekValue();
                    if (afterComma.Kind is not (TokenKind.Identifier or TokenKind.DoesNotExist))
                    {
                        throw Malformed($"found '{afterComma.Text}', expected: identifier after ','");
                    }

                    break;
                case TokenKind.End:
                    return new LabelSelector(requirements);
                default:
                    throw Malformed($"found '{next.Text}', expected: !, identifier, or 'end of string'");
            }
        }
    }

    private LabelRequirement ParseRequirement()
    {
        var token = NextValue();
        var negated = token.Kind == TokenKind.DoesNotExist;
        if (negated)
        {
            token = NextValue();
        }

        if (token.Kind != TokenKind.Identifier)
        {
            throw Malformed($"found '{token.Text}', expected: identifier");
        }

        var key = token.Text;
        CheckAll("key", key, NameRules.QualifiedName(key));
        if (negated || PeekValue().Kind is TokenKind.End or TokenKind.Comma)
        {
            // "!a" and a bare "a" take no operator; anything after "!a" other than ',' fails in Parse.
            return new LabelRequirement(key, negated ? LabelOperator.DoesNotExist : LabelOperator.Exists, []);
        }

        var operatorToken = Next();
        var op = operatorToken.Kind switch
        {
            TokenKind.Equals or TokenKind.DoubleEquals => LabelOperator.Equals,
            TokenKind.NotEquals => LabelOperator.NotEquals,
            TokenKind.In => LabelOperator.In,
            TokenKind.NotIn => LabelOperator.NotIn,
            TokenKind.GreaterThan => LabelOperator.GreaterThan,
            TokenKind.LessThan => LabelOperator.LessThan,
            _ => throw Malformed($"found '{operatorToken.Text}', expected: {BinaryOperators}"),
        };
        var values = op is LabelOperator.In or LabelOperator.NotIn ? ParseValueSet() : [ParseExactValue()];
        for (var i = 0; i < values.Count; i++)
        {
            CheckAll($"values[{i}][{key}]", values[i], NameRules.LabelValue(values[i]));
        }

        if (op is LabelOperator.GreaterThan or LabelOperator.LessThan
            && !long.TryParse(values[0], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            throw Malformed($"values[0]: Invalid value: \"{values[0]}\": for 'Gt', 'Lt' operators, the value must be an integer");
        }

        return new LabelRequirement(key, op, values);
    }

    private string ParseExactValue()
    {
        // "a=" selects the empty value.
        if (PeekValue().Kind is TokenKind.End or TokenKind.Comma)
        {
            return "";
        }

        var token = NextValue();
        return token.Kind == TokenKind.Identifier ? token.Text : throw Malformed($"found '{token.Text}', expected: identifier");
    }

    private List<string> ParseValueSet()
    {
        var open = NextValue();
        if (open.Kind != TokenKind.OpenParenthesis)
        {
            throw Malformed($"found '{open.Text}' expected: '('");
        }

        // Like Kubernetes, empty entries ("()", "(a,)", "(,a)") stand for the empty value.
        var values = new List<string>();
        var expectValue = true;
        while (true)
        {
            var token = NextValue();
            switch (token.Kind)
            {
                case TokenKind.Identifier when expectValue:
                    values.Add(token.Text);
                    expectValue = false;
                    break;
                case TokenKind.Comma:
                    if (expectValue)
                    {
                        values.Add("");
                    }

                    expectValue = true;
                    break;
                case TokenKind.CloseParenthesis:
                    if (expectValue)
                    {
                        values.Add("");
                    }

                    return values.Distinct(StringComparer.Ordinal).ToList();
                default:
                    throw Malformed(expectValue
                        ? $"found '{token.Text}', expected: ',', ')' or identifier"
                        : $"found '{token.Text}', expected: ',' or ')'");
            }
        }
    }

    private void CheckAll(string field, string value, IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            throw Malformed($"{field}: Invalid value: \"{value}\": {string.Join("; ", problems)}");
        }
    }

    private ApiException Malformed(string problem) =>
        ApiException.BadRequest($"unable to parse requirement: {problem} (in label selector \"{_text}\")");

    private Token Next() => _tokens[Math.Min(_position++, _tokens.Count - 1)];

    // Where a key or value is expected, "in" and "notin" are ordinary identifiers.
    private Token NextValue() => AsValue(Next());

    private Token PeekValue() => AsValue(_tokens[Math.Min(_position, _tokens.Count - 1)]);

    private static Token AsValue(Token token) =>
        token.Kind is TokenKind.In or TokenKind.NotIn ? token with { Kind = TokenKind.Identifier } : token;

    private static List<Token> Lex(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var next = i + 1 < text.Length ? text[i + 1] : '\0';
            (TokenKind Kind, int Length)? symbol = c switch
            {
                '(' => (TokenKind.OpenParenthesis, 1),
                ')' => (TokenKind.CloseParenthesis, 1),
                ',' => (TokenKind.Comma, 1),
                '>' => (TokenKind.GreaterThan, 1),
                '<' => (TokenKind.LessThan, 1),
                '=' when next == '=' => (TokenKind.DoubleEquals, 2),
                '=' => (TokenKind.Equals, 1),
                '!' when next == '=' => (TokenKind.NotEquals, 2),
                '!' => (TokenKind.DoesNotExist, 1),
                _ => null,
            };
            if (symbol is { } s)
            {
                tokens.Add(new Token(s.Kind, text.Substring(i, s.Length)));
                i += s.Length;
                continue;
            }

            var start = i;
            while (i < text.Length && !char.IsWhiteSpace(text[i]) && !SpecialCharacters.Contains(text[i], StringComparison.Ordinal))
            {
                i++;
            }

            var word = text[start..i];
            tokens.Add(new Token(word switch { "in" => TokenKind.In, "notin" => TokenKind.NotIn, _ => TokenKind.Identifier }, word));
        }

        tokens.Add(new Token(TokenKind.End, ""));
        return tokens;
    }

    private readonly record struct Token(TokenKind Kind, string Text);
}
