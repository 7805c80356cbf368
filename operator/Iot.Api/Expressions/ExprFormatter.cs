using System.Globalization;
using System.Text;

namespace Iot.Api.Expressions;

/// <summary>Renders a tree back to source form, parenthesizing every operation so the structure is visible.</summary>
internal static class ExprFormatter
{
    public static string Format(Expr expr)
    {
        var text = new StringBuilder();
        Append(text, expr);
        return text.ToString();
    }

    private static void Append(StringBuilder text, Expr expr)
    {
        switch (expr)
        {
            case LiteralExpr literal:
                text.Append(FormatLiteral(literal.Value));
                break;
            case IdentifierExpr identifier:
                text.Append(identifier.Name);
                break;
            case MemberExpr member:
                Append(text, member.Target);
                text.Append('.').Append(member.Member);
                break;
            case IndexExpr index:
                Append(text, index.Target);
                text.Append('[');
                Append(text, index.Index);
                text.Append(']');
                break;
            case UnaryExpr unary:
                text.Append(OperatorSyntax.Text(unary.Operator));
                Append(text, unary.Operand);
                break;
            case BinaryExpr binary:
                text.Append('(');
                Append(text, binary.Left);
                text.Append(' ').Append(OperatorSyntax.Text(binary.Operator)).Append(' ');
                Append(text, binary.Right);
                text.Append(')');
                break;
            case ConditionalExpr conditional:
                text.Append('(');
                Append(text, conditional.Condition);
                text.Append(" ? ");
                Append(text, conditional.WhenTrue);
                text.Append(" : ");
                Append(text, conditional.WhenFalse);
                text.Append(')');
                break;
            case CallExpr call:
                text.Append(call.Function);
                AppendList(text, '(', call.Arguments, ')');
                break;
            case ListExpr list:
                AppendList(text, '[', list.Items, ']');
                break;
            default:
                text.Append(expr.GetType().Name);
                break;
        }
    }

    private static void AppendList(StringBuilder text, char open, IReadOnlyList<Expr> items, char close)
    {
        text.Append(open);
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0)
            {
                text.Append(", ");
            }

            Append(text, items[i]);
        }

        text.Append(close);
    }

    private static string FormatLiteral(object value) => value switch
    {
        bool b => b ? "true" : "false",
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => FormatNumber(d),
        string s => Quote(s),
        _ => Convert.ToString(value, CultureInfo.InvariantCulture) ?? "",
    };

    // A number keeps a '.' or exponent so that it reads back as a number, not an integer.
    private static string FormatNumber(double value)
    {
        var text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.AsSpan().IndexOfAny(".EIN") >= 0 ? text : text + ".0";
    }

    private static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            text.Append(c switch
            {
                '\\' => @"\\",
                '"' => "\\\"",
                '\n' => @"\n",
                '\t' => @"\t",
                _ => c.ToString(),
            });
        }

        return text.Append('"').ToString();
    }
}
