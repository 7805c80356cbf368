using Iot.Api.Expressions;

namespace Iot.Api.Tests.Expressions;

public sealed class ParsingTests
{
    private static Expr ParseOk(string text)
    {
        var result = RuleExpression.Parse(text);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        return result.Root!;
    }

    private static string Tree(string text) => ParseOk(text).ToString();

    private static object LiteralValue(string text) => Assert.IsType<LiteralExpr>(ParseOk(text)).Value;

    [Theory]
    [InlineData("a || b && c", "(a || (b && c))")]
    [InlineData("a && b || c", "((a && b) || c)")]
    [InlineData("a == b && c != d", "((a == b) && (c != d))")]
    [InlineData("a + b * c", "(a + (b * c))")]
    [InlineData("a * b + c", "((a * b) + c)")]
    [InlineData("a - b - c", "((a - b) - c)")]
    [InlineData("a / b % c", "((a / b) % c)")]
    [InlineData("a + b < c * d", "((a + b) < (c * d))")]
    [InlineData("a < b == c", "((a < b) == c)")]
    [InlineData("x + 1 in [1, 2]", "((x + 1) in [1, 2])")]
    [InlineData("!a && b", "(!a && b)")]
    [InlineData("-a * b", "(-a * b)")]
    [InlineData("!!a", "!!a")]
    [InlineData("-device.labels.zone", "-device.labels.zone")]
    [InlineData("(a || b) && c", "((a || b) && c)")]
    [InlineData("a || b ? c : d", "((a || b) ? c : d)")]
    public void Operators_follow_CEL_precedence(string text, string expected)
    {
        Assert.Equal(expected, Tree(text));
    }

    [Fact]
    public void Conditional_is_right_associative()
    {
        Assert.Equal("(a ? b : (c ? d : e))", Tree("a ? b : c ? d : e"));
        Assert.Equal("(a ? (b ? c : d) : e)", Tree("a ? b ? c : d : e"));
    }

    [Fact]
    public void Integer_literal_is_a_long()
    {
        Assert.Equal(42L, LiteralValue("42"));
        Assert.Equal(0L, LiteralValue("0"));
        Assert.Equal(long.MaxValue, LiteralValue("9223372036854775807"));
    }

    [Theory]
    [InlineData("3.5", 3.5)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1E3", 1000.0)]
    [InlineData("2.5e-3", 0.0025)]
    [InlineData("1e+2", 100.0)]
    [InlineData("0.0", 0.0)]
    public void Number_literal_is_a_double(string text, double expected)
    {
        Assert.Equal(expected, Assert.IsType<double>(LiteralValue(text)));
    }

    [Fact]
    public void Boolean_literals_are_bools()
    {
        Assert.Equal(true, LiteralValue("true"));
        Assert.Equal(false, LiteralValue("false"));
    }

    [Theory]
    [InlineData("\"north\"", "north")]
    [InlineData("'north'", "north")]
    [InlineData("''", "")]
    [InlineData("\"it's\"", "it's")]
    [InlineData("'say \"hi\"'", "say \"hi\"")]
    public void Strings_take_single_or_double_quotes(string text, string expected)
    {
        Assert.Equal(expected, LiteralValue(text));
    }

    [Theory]
    [InlineData(@"'a\\b'", @"a\b")]
    [InlineData(@"'it\'s'", "it's")]
    [InlineData(@"""say \""hi\""""", "say \"hi\"")]
    [InlineData(@"'line\nbreak'", "line\nbreak")]
    [InlineData(@"'tab\there'", "tab\there")]
    public void String_escapes_are_decoded(string text, string expected)
    {
        Assert.Equal(expected, LiteralValue(text));
    }

    [Fact]
    public void Negative_number_is_negation_of_a_literal()
    {
        var negation = Assert.IsType<UnaryExpr>(ParseOk("-5"));
        Assert.Equal(UnaryOperator.Negate, negation.Operator);
        Assert.Equal(5L, Assert.IsType<LiteralExpr>(negation.Operand).Value);
    }

    [Fact]
    public void Label_can_be_read_by_index_or_member()
    {
        var index = Assert.IsType<IndexExpr>(ParseOk("device.labels[\"zone\"]"));
        var labels = Assert.IsType<MemberExpr>(index.Target);
        Assert.Equal("labels", labels.Member);
        Assert.Equal("device", Assert.IsType<IdentifierExpr>(labels.Target).Name);
        Assert.Equal("zone", Assert.IsType<LiteralExpr>(index.Index).Value);

        var member = Assert.IsType<MemberExpr>(ParseOk("device.labels.zone"));
        Assert.Equal("zone", member.Member);
        Assert.Equal("device.labels", member.Target.ToString());
    }

    [Fact]
    public void Call_keeps_its_arguments_in_order()
    {
        var call = Assert.IsType<CallExpr>(ParseOk("max(a, b + 1, 3)"));
        Assert.Equal("max", call.Function);
        Assert.Equal(["a", "(b + 1)", "3"], call.Arguments.Select(a => a.ToString()));
        Assert.Empty(Assert.IsType<CallExpr>(ParseOk("f()")).Arguments);
    }

    [Fact]
    public void List_literal_may_be_empty_or_end_with_a_comma()
    {
        Assert.Empty(Assert.IsType<ListExpr>(ParseOk("[]")).Items);
        Assert.Equal(2, Assert.IsType<ListExpr>(ParseOk("[1, 2,]")).Items.Count);
    }

    [Fact]
    public void Nodes_carry_the_offset_of_their_defining_token()
    {
        var and = Assert.IsType<BinaryExpr>(ParseOk("temperature > 30 && room == 'x'"));
        Assert.Equal(17, and.Offset);
        Assert.Equal(BinaryOperator.And, and.Operator);
        var greater = Assert.IsType<BinaryExpr>(and.Left);
        Assert.Equal(12, greater.Offset);
        Assert.Equal(0, greater.Left.Offset);
        Assert.Equal(14, greater.Right.Offset);

        var conditional = Assert.IsType<ConditionalExpr>(ParseOk("a ? b : c"));
        Assert.Equal(2, conditional.Offset);
        Assert.Equal(8, conditional.WhenFalse.Offset);

        var index = Assert.IsType<IndexExpr>(ParseOk("device.labels['k']"));
        Assert.Equal(13, index.Offset);
        Assert.Equal(7, index.Target.Offset);
    }

    [Fact]
    public void Whitespace_between_tokens_is_ignored()
    {
        Assert.Equal("(a && b)", Tree(" \t a\n&&\r\n b "));
    }

    [Fact]
    public void Keywords_are_not_split_from_longer_names()
    {
        Assert.Equal("(inside || trueish)", Tree("inside || trueish"));
    }

    [Fact]
    public void Formatted_tree_parses_back_to_the_same_tree()
    {
        const string text = "device.labels['zone'] == \"n\\\"o\\\\rth\\n\" ? -abs(t - 1.5e3) > 2.0 : room in ['a', 'b'] || !has(x)";
        var formatted = Tree(text);
        Assert.Equal(formatted, Tree(formatted));
    }
}
