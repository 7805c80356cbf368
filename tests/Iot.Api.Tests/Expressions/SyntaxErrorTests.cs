using Iot.Api.Expressions;

namespace Iot.Api.Tests.Expressions;

public sealed class SyntaxErrorTests
{
    private static ExpressionDiagnostic SingleError(string text)
    {
        var result = RuleExpression.Parse(text);
        Assert.False(result.Succeeded);
        Assert.Null(result.Root);
        return Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("temperature > 30)", 17, "unexpected ')'")]
    [InlineData("a b", 3, "unexpected 'b'")]
    [InlineData("room == 'lab", 9, "unterminated string")]
    [InlineData("room == \"lab\nx\"", 9, "unterminated string")]
    [InlineData("room == 'lab\\", 9, "unterminated string")]
    [InlineData("temperature >", 14, "expected expression but found end of input")]
    [InlineData("(a + )", 6, "expected expression but found ')'")]
    [InlineData("temperature # 3", 13, "unexpected character '#'")]
    [InlineData("temp\u00e9rature > 3", 5, "unexpected character '\u00e9'")]
    [InlineData("a = 1", 3, "unexpected character '='; use '==' to compare")]
    [InlineData("a & b", 3, "unexpected character '&'; use '&&' for and")]
    [InlineData("a | b", 3, "unexpected character '|'; use '||' for or")]
    [InlineData("abs((a + b) > 1", 16, "expected ')' to close '(' at column 4")]
    [InlineData("x && (a || b", 13, "expected ')' to close '(' at column 6")]
    [InlineData("room in ['a', 'b'", 18, "expected ']' to close '[' at column 9")]
    [InlineData("device.labels['zone' == 'x'", 28, "expected ']' to close '[' at column 14")]
    [InlineData("min(a b)", 7, "expected ')' to close '(' at column 4")]
    [InlineData("min(a, )", 8, "expected expression but found ')'")]
    [InlineData("a ? b", 6, "expected ':' to match '?' at column 3")]
    [InlineData("device.", 8, "expected a member name after '.' but found end of input")]
    [InlineData("device.labels.1", 15, "expected a member name after '.' but found '1'")]
    [InlineData("'a\\qb' == x", 3, "unknown escape '\\q' in string; use \\\\, \\', \\\", \\n or \\t")]
    [InlineData("n > 9223372036854775808", 5, "integer 9223372036854775808 is too large; the largest is 9223372036854775807")]
    [InlineData("n > 1e999", 5, "number 1e999 is too large")]
    public void Syntax_error_is_reported_with_its_column(string text, int column, string message)
    {
        var error = SingleError(text);
        Assert.Equal(message, error.Message);
        Assert.Equal(column, error.Column);
        Assert.Equal(column - 1, error.Offset);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\n\t")]
    public void Empty_expression_is_reported_at_the_start(string text)
    {
        var error = SingleError(text);
        Assert.Equal("the expression is empty", error.Message);
        Assert.Equal(1, error.Column);
    }

    [Fact]
    public void Diagnostic_reads_as_column_and_message()
    {
        Assert.Equal("column 17: unexpected ')'", SingleError("temperature > 30)").ToString());
    }

    [Fact]
    public void Earlier_syntax_error_wins_over_a_later_bad_character()
    {
        Assert.Equal("expected expression but found ')'", SingleError("a + ) #").Message);
    }

    [Fact]
    public void Parse_stops_at_the_first_error()
    {
        Assert.Single(RuleExpression.Parse("a + ) + ( + #").Errors);
    }

    [Theory]
    [InlineData("(", 100, ")")]
    [InlineData("f(", 100, ")")]
    [InlineData("[", 100, "]")]
    [InlineData("x[", 100, "]")]
    public void Deep_nesting_is_an_error_not_a_stack_overflow(string open, int levels, string close)
    {
        var text = string.Concat(Enumerable.Repeat(open, levels)) + "a" + string.Concat(Enumerable.Repeat(close, levels));
        Assert.StartsWith("the expression nests too deeply", SingleError(text).Message);
    }

    [Fact]
    public void Nesting_error_points_at_the_first_level_beyond_the_limit_of_64()
    {
        var error = SingleError(new string('(', 100) + "a" + new string(')', 100));
        Assert.Equal("the expression nests too deeply; the limit is 64 levels", error.Message);
        Assert.Equal(65, error.Column);
    }

    [Fact]
    public void Extreme_nesting_is_an_error_not_a_stack_overflow()
    {
        Assert.StartsWith("the expression nests too deeply", SingleError(new string('(', 10_000)).Message);
        Assert.StartsWith("the expression nests too deeply", SingleError(new string('!', 10_000) + "a").Message);
        Assert.StartsWith("the expression nests too deeply", SingleError(string.Join(" + ", Enumerable.Repeat("1", 10_000))).Message);
        Assert.StartsWith("the expression nests too deeply", SingleError(string.Concat(Enumerable.Repeat("a ? b : ", 10_000)) + "c").Message);
    }

    [Fact]
    public void Moderate_nesting_is_accepted()
    {
        const int levels = 30;
        var text = new string('(', levels) + "a" + new string(')', levels);
        Assert.True(RuleExpression.Parse(text).Succeeded);
        Assert.True(RuleExpression.Parse(string.Join(" || ", Enumerable.Repeat("a", levels))).Succeeded);
    }

    [Theory]
    [InlineData("\"")]
    [InlineData("'\\")]
    [InlineData("\\")]
    [InlineData("1e")]
    [InlineData("1.")]
    [InlineData(".5")]
    [InlineData("a.b.")]
    [InlineData("?:")]
    [InlineData("\ud83d\ude00")]
    [InlineData("\ud83d")]
    [InlineData("\0")]
    [InlineData("[,]")]
    [InlineData("f(,)")]
    [InlineData("a ? : b")]
    public void Malformed_input_is_reported_not_thrown(string text)
    {
        var result = RuleExpression.Parse(text);
        Assert.False(result.Succeeded);
        var error = Assert.Single(result.Errors);
        Assert.InRange(error.Offset, 0, text.Length);
    }
}
