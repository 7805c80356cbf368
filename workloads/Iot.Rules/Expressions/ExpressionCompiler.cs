using Iot.Api.Expressions;
using Iot.Rules.Metrics;

namespace Iot.Rules.Expressions;

/// <summary>
/// Compiles a parsed <see cref="RuleExpression"/> into a tree of delegates. Evaluation follows the language's rules
/// as documented on <see cref="RuleExpression"/>, with CEL's runtime semantics: a missing field, a missing label,
/// division by zero, integer overflow or (for fields of undeclared type) a type mismatch make an error value, and
/// <c>&amp;&amp;</c>/<c>||</c> absorb an error when the other side decides the result (<c>false &amp;&amp; error</c> is false).
/// The type checker has accepted the expression for the device's schema before it runs, so errors are rare; the
/// compiler still never throws for any tree the parser produces.
/// </summary>
internal static class ExpressionCompiler
{
    private const string Device = "device";
    private const string Room = "room";
    private const string Labels = "labels";

    private static readonly Evaluator Mismatch = Constant(ExprValue.Fail(RuleErrorReason.TypeMismatch));

    public static Evaluator Compile(Expr expr) => expr switch
    {
        LiteralExpr literal => Constant(FromLiteral(literal.Value)),
        IdentifierExpr { Name: Room } => static (in s) => ExprValue.FromString(s.Device.Room ?? ""),
        IdentifierExpr { Name: Device } => Mismatch,
        IdentifierExpr identifier => Field(identifier.Name),
        MemberExpr member => Member(member),
        IndexExpr index => Index(index),
        UnaryExpr unary => Unary(unary),
        BinaryExpr binary => Binary(binary),
        ConditionalExpr conditional => Conditional(conditional),
        CallExpr call => Call(call),
        ListExpr list => List(list),
        _ => Mismatch,
    };

    private static Evaluator Constant(ExprValue value) => (in _) => value;

    private static ExprValue FromLiteral(object value) => value switch
    {
        bool b => ExprValue.FromBoolean(b),
        long l => ExprValue.FromInteger(l),
        double d => ExprValue.FromNumber(d),
        string s => ExprValue.FromString(s),
        _ => ExprValue.Fail(RuleErrorReason.TypeMismatch),
    };

    private static Evaluator Field(string name) => (in s) =>
        s.Message.TryGetField(name, out var value) ? ExprValue.From(value) : ExprValue.Fail(RuleErrorReason.MissingField);

    private static bool IsDevice(Expr expr) => expr is IdentifierExpr { Name: Device };

    private static bool IsDeviceLabels(Expr expr) => expr is MemberExpr { Member: Labels } member && IsDevice(member.Target);

    private static Evaluator Member(MemberExpr member)
    {
        if (IsDevice(member.Target))
        {
            return member.Member switch
            {
                Labels => static (in s) => ExprValue.FromMap(s.Device.Labels),
                "id" => static (in s) => ExprValue.FromString(s.Device.Id),
                "type" => static (in s) => ExprValue.FromString(s.Device.Type),
                _ => Mismatch,
            };
        }

        var target = Compile(member.Target);
        var key = member.Member;
        return (in s) =>
        {
            var map = target(s);
            return map.Kind == ValueKind.Map ? Label(map.Map, key) : Propagate(map);
        };
    }

    private static Evaluator Index(IndexExpr index)
    {
        var target = Compile(index.Target);
        var key = Compile(index.Index);
        return (in s) =>
        {
            var collection = target(s);
            if (collection.IsError)
            {
                return collection;
            }

            var k = key(s);
            if (k.IsError)
            {
                return k;
            }

            if (collection.Kind == ValueKind.Map && k.Kind == ValueKind.String)
            {
                return Label(collection.Map, k.String);
            }

            if (collection.Kind == ValueKind.List && k.Kind == ValueKind.Integer)
            {
                var items = collection.List;
                return k.Integer >= 0 && k.Integer < items.Length ? items[k.Integer] : ExprValue.Fail(RuleErrorReason.IndexOutOfRange);
            }

            return ExprValue.Fail(RuleErrorReason.TypeMismatch);
        };
    }

    private static ExprValue Label(IReadOnlyDictionary<string, string> labels, string key) =>
        labels.TryGetValue(key, out var value) ? ExprValue.FromString(value) : ExprValue.Fail(RuleErrorReason.MissingLabel);

    // An error stays the error it is; any other value of the wrong kind is a type mismatch.
    private static ExprValue Propagate(in ExprValue value) => value.IsError ? value : ExprValue.Fail(RuleErrorReason.TypeMismatch);

    private static Evaluator Unary(UnaryExpr unary)
    {
        var operand = Compile(unary.Operand);
        if (unary.Operator == UnaryOperator.Not)
        {
            return (in s) =>
            {
                var value = operand(s);
                return value.Kind == ValueKind.Boolean ? ExprValue.FromBoolean(!value.Boolean) : Propagate(value);
            };
        }

        return (in s) =>
        {
            var value = operand(s);
            return value.Kind switch
            {
                ValueKind.Integer => value.Integer == long.MinValue ? ExprValue.Fail(RuleErrorReason.Overflow) : ExprValue.FromInteger(-value.Integer),
                ValueKind.Number => ExprValue.FromNumber(-value.Number),
                _ => Propagate(value),
            };
        };
    }

    private static Evaluator Binary(BinaryExpr binary)
    {
        var left = Compile(binary.Left);
        var right = Compile(binary.Right);
        return binary.Operator switch
        {
            BinaryOperator.And => (in s) => Logical(left, right, s, decisive: false),
            BinaryOperator.Or => (in s) => Logical(left, right, s, decisive: true),
            BinaryOperator.Equal => (in s) => Equality(left(s), right(s), equal: true),
            BinaryOperator.NotEqual => (in s) => Equality(left(s), right(s), equal: false),
            BinaryOperator.Less => (in s) => Order(left(s), right(s), static c => c < 0),
            BinaryOperator.LessOrEqual => (in s) => Order(left(s), right(s), static c => c <= 0),
            BinaryOperator.Greater => (in s) => Order(left(s), right(s), static c => c > 0),
            BinaryOperator.GreaterOrEqual => (in s) => Order(left(s), right(s), static c => c >= 0),
            BinaryOperator.In => (in s) => Membership(left(s), right(s)),
            _ => (in s) => ExpressionArithmetic.Apply(binary.Operator, left(s), right(s)),
        };
    }

    // && (decisive = false) and || (decisive = true): a decisive operand wins even over an error on the other side.
    private static ExprValue Logical(Evaluator left, Evaluator right, in EvaluationScope s, bool decisive)
    {
        var l = left(s);
        if (l.Kind == ValueKind.Boolean && l.Boolean == decisive)
        {
            return l;
        }

        var r = right(s);
        if (r.Kind == ValueKind.Boolean && r.Boolean == decisive)
        {
            return r;
        }

        if (l.Kind != ValueKind.Boolean)
        {
            return Propagate(l);
        }

        return r.Kind == ValueKind.Boolean ? r : Propagate(r);
    }

    private static ExprValue Equality(in ExprValue l, in ExprValue r, bool equal)
    {
        if (l.IsError)
        {
            return l;
        }

        return r.IsError ? r : ExprValue.FromBoolean(ExprValue.AreEqual(l, r) == equal);
    }

    private static ExprValue Order(in ExprValue l, in ExprValue r, Func<int, bool> test)
    {
        if (l.IsError)
        {
            return l;
        }

        if (r.IsError)
        {
            return r;
        }

        if (l.Kind == ValueKind.Integer && r.Kind == ValueKind.Integer)
        {
            return ExprValue.FromBoolean(test(l.Integer.CompareTo(r.Integer)));
        }

        if (l.IsNumeric && r.IsNumeric)
        {
            return ExprValue.FromBoolean(test(l.Number.CompareTo(r.Number)));
        }

        return l.Kind == ValueKind.String && r.Kind == ValueKind.String
            ? ExprValue.FromBoolean(test(string.CompareOrdinal(l.String, r.String)))
            : ExprValue.Fail(RuleErrorReason.TypeMismatch);
    }

    private static ExprValue Membership(in ExprValue element, in ExprValue collection)
    {
        if (element.IsError)
        {
            return element;
        }

        switch (collection.Kind)
        {
            case ValueKind.List:
                foreach (var item in collection.List)
                {
                    if (ExprValue.AreEqual(element, item))
                    {
                        return ExprValue.True;
                    }
                }

                return ExprValue.False;
            case ValueKind.Map when element.Kind == ValueKind.String:
                return ExprValue.FromBoolean(collection.Map.ContainsKey(element.String));
            default:
                return Propagate(collection);
        }
    }

    private static Evaluator Conditional(ConditionalExpr conditional)
    {
        var condition = Compile(conditional.Condition);
        var whenTrue = Compile(conditional.WhenTrue);
        var whenFalse = Compile(conditional.WhenFalse);
        return (in s) =>
        {
            var c = condition(s);
            if (c.Kind != ValueKind.Boolean)
            {
                return Propagate(c);
            }

            return c.Boolean ? whenTrue(s) : whenFalse(s);
        };
    }

    private static Evaluator Call(CallExpr call)
    {
        if (call.Function == "has")
        {
            return call.Arguments is [var argument] ? Has(argument) : Mismatch;
        }

        var arguments = call.Arguments.Select(Compile).ToArray();
        return (call.Function, arguments.Length) switch
        {
            ("abs", 1) => Numeric(arguments[0], static i => i == long.MinValue ? ExprValue.Fail(RuleErrorReason.Overflow) : ExprValue.FromInteger(Math.Abs(i)), static d => Math.Abs(d)),
            ("round", 1) => Numeric(arguments[0], ExprValue.FromInteger, static d => Math.Round(d, MidpointRounding.AwayFromZero)),
            ("min", >= 2) => (in s) => Extreme(arguments, s, takeSmaller: true),
            ("max", >= 2) => (in s) => Extreme(arguments, s, takeSmaller: false),
            _ => Mismatch,
        };
    }

    private static Evaluator Has(Expr argument)
    {
        switch (argument)
        {
            case IdentifierExpr { Name: not (Device or Room) } field:
                var name = field.Name;
                return (in s) => ExprValue.FromBoolean(s.Message.TryGetField(name, out _));
            case MemberExpr { Member: var label } member when IsDeviceLabels(member.Target):
                return (in s) => ExprValue.FromBoolean(s.Device.Labels.ContainsKey(label));
            case IndexExpr index when IsDeviceLabels(index.Target):
                var key = Compile(index.Index);
                return (in s) =>
                {
                    var k = key(s);
                    return k.Kind == ValueKind.String ? ExprValue.FromBoolean(s.Device.Labels.ContainsKey(k.String)) : Propagate(k);
                };
            default:
                return Mismatch;
        }
    }

    private static Evaluator Numeric(Evaluator argument, Func<long, ExprValue> onInteger, Func<double, double> onNumber) => (in s) =>
    {
        var value = argument(s);
        return value.Kind switch
        {
            ValueKind.Integer => onInteger(value.Integer),
            ValueKind.Number => ExprValue.FromNumber(onNumber(value.Number)),
            _ => Propagate(value),
        };
    };

    // min/max: an integer while every argument is one, a number as soon as one is.
    private static ExprValue Extreme(Evaluator[] arguments, in EvaluationScope s, bool takeSmaller)
    {
        var best = arguments[0](s);
        if (!best.IsNumeric)
        {
            return Propagate(best);
        }

        for (var i = 1; i < arguments.Length; i++)
        {
            var next = arguments[i](s);
            if (!next.IsNumeric)
            {
                return Propagate(next);
            }

            if (best.Kind == ValueKind.Integer && next.Kind == ValueKind.Integer)
            {
                best = (next.Integer < best.Integer) == takeSmaller ? next : best;
            }
            else
            {
                var b = best.Number;
                var n = next.Number;
                best = ExprValue.FromNumber(takeSmaller ? Math.Min(b, n) : Math.Max(b, n));
            }
        }

        return best;
    }

    private static Evaluator List(ListExpr list)
    {
        var items = list.Items.Select(Compile).ToArray();
        if (list.Items.All(i => i is LiteralExpr))
        {
            var constant = ExprValue.FromList([.. list.Items.Select(i => FromLiteral(((LiteralExpr)i).Value))]);
            return (in _) => constant;
        }

        return (in s) =>
        {
            var values = new ExprValue[items.Length];
            for (var i = 0; i < items.Length; i++)
            {
                values[i] = items[i](s);
                if (values[i].IsError)
                {
                    return values[i];
                }
            }

            return ExprValue.FromList(values);
        };
    }
}
