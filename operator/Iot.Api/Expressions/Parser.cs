namespace Iot.Api.Expressions;

/// <summary>
/// Recursive-descent parser with CEL precedence. It stops at the first error: messages after a syntax error
/// are mostly noise, and one precise position is what a user needs.
/// </summary>
internal sealed class Parser
{
    /// <summary>
    /// The deepest nesting accepted, both of the text (parentheses, arguments) and of the resulting tree
    /// (long operator chains); it keeps the parser, the checker and evaluators far from a stack overflow.
    /// </summary>
    public const int MaxDepth = 64;

    private static readonly string NestingMessage = $"the expression nests too deeply; the limit is {MaxDepth} levels";

    private readonly List<Token> _tokens;
    private int _position;
    private int _depth;

    private Parser(List<Token> tokens) => _tokens = tokens;

    private Token Current => _tokens[_position];

    /// <summary>Parses <paramref name="text"/>; never throws for bad input.</summary>
    public static ExpressionParseResult Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return Failure(ExpressionDiagnostic.At(0, "the expression is empty"));
        }

        var parser = new Parser(Lexer.Tokenize(text));
        try
        {
            var root = parser.ParseExpression();
            if (parser.Current.Kind != TokenKind.End)
            {
                throw parser.Error(parser.Current, $"unexpected {parser.Current.Describe()}");
            }

            var tooDeep = FindNodeBeyondMaxDepth(root);
            return tooDeep is null
                ? new ExpressionParseResult(root, [])
                : Failure(ExpressionDiagnostic.At(tooDeep.Offset, NestingMessage));
        }
        catch (SyntaxError error)
        {
            return Failure(error.Diagnostic);
        }
    }

    private static ExpressionParseResult Failure(ExpressionDiagnostic diagnostic) => new(null, [diagnostic]);

    // Conditional = Or ["?" Conditional ":" Conditional]; right-associative.
    private Expr ParseExpression()
    {
        if (++_depth > MaxDepth)
        {
            throw Error(Current, NestingMessage);
        }

        var condition = ParseOr();
        if (Current.Kind == TokenKind.Question)
        {
            var question = Advance();
            var whenTrue = ParseExpression();
            Expect(TokenKind.Colon, $"expected ':' to match '?' at column {question.Offset + 1}");
            var whenFalse = ParseExpression();
            condition = new ConditionalExpr(question.Offset, condition, whenTrue, whenFalse);
        }

        _depth--;
        return condition;
    }

    private Expr ParseOr() => ParseLeftAssociative(ParseAnd, TokenKind.OrOr);

    private Expr ParseAnd() => ParseLeftAssociative(ParseRelation, TokenKind.AndAnd);

    private Expr ParseRelation() => ParseLeftAssociative(
        ParseAdditive,
        TokenKind.EqualEqual, TokenKind.BangEqual, TokenKind.Less, TokenKind.LessEqual,
        TokenKind.Greater, TokenKind.GreaterEqual, TokenKind.In);

    private Expr ParseAdditive() => ParseLeftAssociative(ParseMultiplicative, TokenKind.Plus, TokenKind.Minus);

    private Expr ParseMultiplicative() =>
        ParseLeftAssociative(ParseUnary, TokenKind.Star, TokenKind.Slash, TokenKind.Percent);

    private Expr ParseLeftAssociative(Func<Expr> parseOperand, params ReadOnlySpan<TokenKind> operators)
    {
        var left = parseOperand();
        while (operators.Contains(Current.Kind))
        {
            var op = Advance();
            var right = parseOperand();
            left = new BinaryExpr(op.Offset, ToBinaryOperator(op.Kind), left, right);
        }

        return left;
    }

    // Prefix operators are collected in a loop rather than by recursion, so "!!!!x" costs no stack.
    private Expr ParseUnary()
    {
        var prefixes = new Stack<Token>();
        while (Current.Kind is TokenKind.Bang or TokenKind.Minus)
        {
            prefixes.Push(Advance());
        }

        var operand = ParsePostfix();
        while (prefixes.TryPop(out var prefix))
        {
            var op = prefix.Kind == TokenKind.Bang ? UnaryOperator.Not : UnaryOperator.Negate;
            operand = new UnaryExpr(prefix.Offset, op, operand);
        }

        return operand;
    }

    private Expr ParsePostfix()
    {
        var target = ParsePrimary();
        while (true)
        {
            switch (Current.Kind)
            {
                case TokenKind.Dot:
                    Advance();
                    if (Current.Kind != TokenKind.Identifier)
                    {
                        throw Error(Current, $"expected a member name after '.' but found {Current.Describe()}");
                    }

                    var member = Advance();
                    target = new MemberExpr(member.Offset, target, member.Text);
                    break;
                case TokenKind.OpenBracket:
                    var open = Advance();
                    var index = ParseExpression();
                    ExpectClosing(TokenKind.CloseBracket, open);
                    target = new IndexExpr(open.Offset, target, index);
                    break;
                default:
                    return target;
            }
        }
    }

    private Expr ParsePrimary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case TokenKind.Integer or TokenKind.Number or TokenKind.String:
                Advance();
                return new LiteralExpr(token.Offset, token.Value!);
            case TokenKind.True or TokenKind.False:
                Advance();
                return new LiteralExpr(token.Offset, token.Kind == TokenKind.True);
            case TokenKind.Identifier:
                Advance();
                if (Current.Kind != TokenKind.OpenParen)
                {
                    return new IdentifierExpr(token.Offset, token.Text);
                }

                var arguments = ParseList(Advance(), TokenKind.CloseParen, allowTrailingComma: false);
                return new CallExpr(token.Offset, token.Text, arguments);
            case TokenKind.OpenParen:
                var open = Advance();
                var inner = ParseExpression();
                ExpectClosing(TokenKind.CloseParen, open);
                return inner;
            case TokenKind.OpenBracket:
                var bracket = Advance();
                return new ListExpr(bracket.Offset, ParseList(bracket, TokenKind.CloseBracket, allowTrailingComma: true));
            default:
                throw Error(token, $"expected expression but found {token.Describe()}");
        }
    }

    // Items up to the closing token; the opening token has been consumed. CEL allows "[1, 2,]" but not "f(1,)".
    private List<Expr> ParseList(Token open, TokenKind close, bool allowTrailingComma)
    {
        var items = new List<Expr>();
        while (Current.Kind != close)
        {
            items.Add(ParseExpression());
            if (Current.Kind != TokenKind.Comma)
            {
                break;
            }

            Advance();
            if (!allowTrailingComma && Current.Kind == close)
            {
                throw Error(Current, $"expected expression but found {Current.Describe()}");
            }
        }

        ExpectClosing(close, open);
        return items;
    }

    private void ExpectClosing(TokenKind close, Token open)
    {
        var closeText = close == TokenKind.CloseParen ? ")" : "]";
        Expect(close, $"expected '{closeText}' to close '{open.Text}' at column {open.Offset + 1}");
    }

    private void Expect(TokenKind kind, string message)
    {
        if (Current.Kind != kind)
        {
            throw Error(Current, message);
        }

        Advance();
    }

    private Token Advance()
    {
        var token = Current;
        if (token.Kind is not (TokenKind.End or TokenKind.Invalid))
        {
            _position++;
        }

        return token;
    }

    // An unreadable token explains itself better than whatever the parser expected in its place.
    private SyntaxError Error(Token at, string message) =>
        new(ExpressionDiagnostic.At(at.Offset, at.Kind == TokenKind.Invalid ? (string)at.Value! : message));

    private static BinaryOperator ToBinaryOperator(TokenKind kind) => kind switch
    {
        TokenKind.OrOr => BinaryOperator.Or,
        TokenKind.AndAnd => BinaryOperator.And,
        TokenKind.EqualEqual => BinaryOperator.Equal,
        TokenKind.BangEqual => BinaryOperator.NotEqual,
        TokenKind.Less => BinaryOperator.Less,
        TokenKind.LessEqual => BinaryOperator.LessOrEqual,
        TokenKind.Greater => BinaryOperator.Greater,
        TokenKind.GreaterEqual => BinaryOperator.GreaterOrEqual,
        TokenKind.In => BinaryOperator.In,
        TokenKind.Plus => BinaryOperator.Add,
        TokenKind.Minus => BinaryOperator.Subtract,
        TokenKind.Star => BinaryOperator.Multiply,
        TokenKind.Slash => BinaryOperator.Divide,
        TokenKind.Percent => BinaryOperator.Remainder,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    // Operator chains such as "a + b + c + ..." are built in loops, so the tree can be deeper than the
    // parser's recursion; measure it without recursion.
    private static Expr? FindNodeBeyondMaxDepth(Expr root)
    {
        var pending = new Stack<(Expr Node, int Depth)>();
        pending.Push((root, 1));
        while (pending.TryPop(out var entry))
        {
            if (entry.Depth > MaxDepth)
            {
                return entry.Node;
            }

            foreach (var child in Children(entry.Node))
            {
                pending.Push((child, entry.Depth + 1));
            }
        }

        return null;
    }

    private static IEnumerable<Expr> Children(Expr node) => node switch
    {
        MemberExpr member => [member.Target],
        IndexExpr index => [index.Target, index.Index],
        UnaryExpr unary => [unary.Operand],
        BinaryExpr binary => [binary.Left, binary.Right],
        ConditionalExpr conditional => [conditional.Condition, conditional.WhenTrue, conditional.WhenFalse],
        CallExpr call => call.Arguments,
        ListExpr list => list.Items,
        _ => [],
    };

    private sealed class SyntaxError(ExpressionDiagnostic diagnostic) : Exception(diagnostic.Message)
    {
        public ExpressionDiagnostic Diagnostic { get; } = diagnostic;
    }
}
