using Iot.Api.Devices;

namespace Iot.Api.Expressions;

/// <summary>
/// Infers the type of every node and reports each misuse once: an expression already found wrong gets the
/// <see cref="ExprTypeKind.Error"/> type, which every check accepts, so one mistake does not cascade.
/// </summary>
internal sealed class TypeChecker
{
    private const string Device = "device";
    private const string Room = "room";
    private const string Labels = "labels";
    private const int MaxFieldsListed = 20;
    private const string HasShape = "has() takes a telemetry field name, device.labels.<key> or device.labels[\"<key>\"]";

    private static readonly string[] Functions = ["abs", "has", "max", "min", "round"];

    private readonly IReadOnlyDictionary<string, TelemetryType>? _fields;
    private readonly List<ExpressionDiagnostic> _errors = [];
    private readonly SortedSet<string> _fieldsUsed = new(StringComparer.Ordinal);

    private TypeChecker(IReadOnlyDictionary<string, TelemetryType>? fields) => _fields = fields;

    /// <summary>Checks <paramref name="root"/> as a rule condition: well-typed and boolean.</summary>
    public static ExpressionCheckResult Check(Expr root, ExpressionScope scope)
    {
        var checker = new TypeChecker(scope.Fields);
        var type = checker.TypeOf(root);
        if (type != ExprType.Boolean && !type.IsUnchecked)
        {
            checker.Report(0, $"the expression must be boolean but is {type}");
        }

        var errors = checker._errors.OrderBy(e => e.Offset).ToList();
        return new ExpressionCheckResult(root, errors, checker._fieldsUsed);
    }

    private ExprType TypeOf(Expr expr) => expr switch
    {
        LiteralExpr literal => literal.Value switch
        {
            long => ExprType.Integer,
            double => ExprType.Number,
            bool => ExprType.Boolean,
            string => ExprType.String,
            _ => ExprType.Dyn,
        },
        IdentifierExpr identifier => TypeOfIdentifier(identifier),
        MemberExpr member => TypeOfMember(member),
        IndexExpr index => TypeOfIndex(index),
        UnaryExpr unary => TypeOfUnary(unary),
        BinaryExpr binary => TypeOfBinary(binary),
        ConditionalExpr conditional => TypeOfConditional(conditional),
        CallExpr call => TypeOfCall(call),
        ListExpr list => TypeOfList(list),
        _ => ExprType.Dyn,
    };

    private ExprType TypeOfIdentifier(IdentifierExpr identifier)
    {
        switch (identifier.Name)
        {
            case Device:
                Report(identifier.Offset, "'device' is not a value by itself; use device.id, device.type or device.labels");
                return ExprType.Error;
            case Room:
                return ExprType.String;
            default:
                return ResolveField(identifier.Name, identifier.Offset) ?? ExprType.Error;
        }
    }

    private ExprType? ResolveField(string name, int offset)
    {
        if (_fields is null)
        {
            _fieldsUsed.Add(name);
            return ExprType.Dyn;
        }

        if (_fields.TryGetValue(name, out var type))
        {
            _fieldsUsed.Add(name);
            return ExprType.Of(type);
        }

        var known = _fields.Keys.Order(StringComparer.Ordinal).ToList();
        var listing = known.Count == 0
            ? "the selected devices' telemetry has no fields"
            : $"the selected devices' telemetry has: {string.Join(", ", known.Take(MaxFieldsListed))}"
                + (known.Count > MaxFieldsListed ? $" and {known.Count - MaxFieldsListed} more" : "");
        Report(offset, $"unknown field '{name}'; {listing}{Suggestion(name, [.. known, Device, Room])}");
        return null;
    }

    private ExprType TypeOfMember(MemberExpr member)
    {
        if (member.Target is IdentifierExpr { Name: Device })
        {
            switch (member.Member)
            {
                case Labels:
                    return ExprType.StringMap;
                case "id" or "type":
                    return ExprType.String;
                default:
                    Report(member.Offset, $"device has no member '{member.Member}'; it has: id, labels, type");
                    return ExprType.Error;
            }
        }

        var target = TypeOf(member.Target);
        if (target.Kind == ExprTypeKind.StringMap)
        {
            return ExprType.String; // device.labels.zone: the label's value
        }

        if (target.IsUnchecked)
        {
            return target;
        }

        Report(member.Offset, $"{target} has no member '{member.Member}'");
        return ExprType.Error;
    }

    private ExprType TypeOfIndex(IndexExpr index)
    {
        if (index.Target is IdentifierExpr { Name: Device })
        {
            TypeOf(index.Index);
            Report(index.Offset, "device cannot be indexed; use device.labels[\"<key>\"]");
            return ExprType.Error;
        }

        var target = TypeOf(index.Target);
        var key = TypeOf(index.Index);
        switch (target.Kind)
        {
            case ExprTypeKind.StringMap:
                CheckLabelKey(index.Index.Offset, key);
                return ExprType.String;
            case ExprTypeKind.List:
                if (key.Kind != ExprTypeKind.Integer && !key.IsUnchecked)
                {
                    Report(index.Index.Offset, $"a list index must be an integer but is {key}");
                }

                return target.Element!;
            case ExprTypeKind.Dyn or ExprTypeKind.Error:
                return target;
            default:
                Report(index.Offset, $"{target} cannot be indexed");
                return ExprType.Error;
        }
    }

    private void CheckLabelKey(int offset, ExprType key)
    {
        if (key.Kind != ExprTypeKind.String && !key.IsUnchecked)
        {
            Report(offset, $"device.labels needs a string key but got {key}");
        }
    }

    private ExprType TypeOfUnary(UnaryExpr unary)
    {
        var operand = TypeOf(unary.Operand);
        var op = OperatorSyntax.Text(unary.Operator);
        if (unary.Operator == UnaryOperator.Not)
        {
            if (!IsBooleanLike(operand))
            {
                Report(unary.Offset, $"operator '{op}' needs a boolean operand but got {operand}");
            }

            return ExprType.Boolean;
        }

        if (operand.MayBeNumeric)
        {
            return operand;
        }

        Report(unary.Offset, $"operator '{op}' needs a number operand but got {operand}");
        return ExprType.Error;
    }

    private ExprType TypeOfBinary(BinaryExpr binary)
    {
        var left = TypeOf(binary.Left);
        var right = TypeOf(binary.Right);
        var (result, problem) = binary.Operator switch
        {
            BinaryOperator.Or or BinaryOperator.And =>
                (ExprType.Boolean, IsBooleanLike(left) && IsBooleanLike(right) ? null : "needs boolean operands"),
            BinaryOperator.Equal or BinaryOperator.NotEqual =>
                (ExprType.Boolean, ExprType.Common(left, right) is null ? "needs operands of the same type" : null),
            BinaryOperator.Less or BinaryOperator.LessOrEqual or BinaryOperator.Greater or BinaryOperator.GreaterOrEqual =>
                (ExprType.Boolean, AreOrderable(left, right) ? null : "needs two numbers or two strings"),
            BinaryOperator.In => (ExprType.Boolean, null),
            BinaryOperator.Add when left.MayBeNumeric && right.MayBeNumeric => (ExprType.Arithmetic(left, right), null),
            BinaryOperator.Add when MayBeString(left) && MayBeString(right) => (ExprType.String, null),
            BinaryOperator.Add => (ExprType.Error, "needs two numbers or two strings"),
            _ when !(left.MayBeNumeric && right.MayBeNumeric) => (ExprType.Error, "needs number operands"),
            BinaryOperator.Divide => (ExprType.Number, null),
            _ => (ExprType.Arithmetic(left, right), null),
        };

        // An operand that is already wrong would only make a second, confusing report.
        if (left.Kind == ExprTypeKind.Error || right.Kind == ExprTypeKind.Error)
        {
            return result;
        }

        var op = OperatorSyntax.Text(binary.Operator);
        if (problem is not null)
        {
            Report(binary.Offset, $"operator '{op}' {problem} but got {left} and {right}");
        }
        else if (binary.Operator == BinaryOperator.In)
        {
            CheckMembership(binary.Offset, left, right);
        }

        return result;
    }

    private void CheckMembership(int offset, ExprType element, ExprType collection)
    {
        switch (collection.Kind)
        {
            case ExprTypeKind.List when ExprType.Common(element, collection.Element!) is null:
                Report(offset, $"operator 'in' needs an element of {collection} on the left but got {element}");
                break;
            case ExprTypeKind.StringMap when element.Kind != ExprTypeKind.String && !element.IsUnchecked:
                Report(offset, $"operator 'in' looks up string keys in {collection} but got {element}");
                break;
            case ExprTypeKind.List or ExprTypeKind.StringMap or ExprTypeKind.Dyn or ExprTypeKind.Error:
                break;
            default:
                Report(offset, $"operator 'in' needs a list or device.labels on the right but got {collection}");
                break;
        }
    }

    private ExprType TypeOfConditional(ConditionalExpr conditional)
    {
        var condition = TypeOf(conditional.Condition);
        if (!IsBooleanLike(condition))
        {
            Report(conditional.Offset, $"the condition of '?:' must be boolean but is {condition}");
        }

        var whenTrue = TypeOf(conditional.WhenTrue);
        var whenFalse = TypeOf(conditional.WhenFalse);
        if (ExprType.Common(whenTrue, whenFalse) is { } common)
        {
            return common;
        }

        Report(conditional.Offset, $"the branches of '?:' must have the same type but are {whenTrue} and {whenFalse}");
        return ExprType.Error;
    }

    private ExprType TypeOfCall(CallExpr call)
    {
        if (call.Function == "has")
        {
            CheckHas(call);
            return ExprType.Boolean;
        }

        var arguments = call.Arguments.Select(TypeOf).ToList();
        switch (call.Function)
        {
            case "abs" or "round":
                if (arguments.Count != 1)
                {
                    Report(call.Offset, $"{call.Function}() takes 1 argument but got {arguments.Count}");
                    return ExprType.Error;
                }

                if (arguments[0].MayBeNumeric)
                {
                    return arguments[0];
                }

                Report(call.Arguments[0].Offset, $"{call.Function}() needs a number argument but got {arguments[0]}");
                return ExprType.Error;
            case "min" or "max":
                return TypeOfMinMax(call, arguments);
            default:
                Report(call.Offset, $"unknown function '{call.Function}'; the functions are {string.Join(", ", Functions)}"
                    + Suggestion(call.Function, Functions));
                return ExprType.Error;
        }
    }

    private ExprType TypeOfMinMax(CallExpr call, List<ExprType> arguments)
    {
        if (arguments.Count < 2)
        {
            Report(call.Offset, $"{call.Function}() takes 2 or more arguments but got {arguments.Count}");
            return ExprType.Error;
        }

        var result = arguments[0];
        for (var i = 0; i < arguments.Count; i++)
        {
            if (!arguments[i].MayBeNumeric)
            {
                Report(call.Arguments[i].Offset, $"{call.Function}() needs number arguments but argument {i + 1} is {arguments[i]}");
                return ExprType.Error;
            }

            result = i == 0 ? result : ExprType.Arithmetic(result, arguments[i]);
        }

        return result;
    }

    private void CheckHas(CallExpr call)
    {
        if (call.Arguments.Count != 1)
        {
            Report(call.Offset, $"has() takes 1 argument but got {call.Arguments.Count}");
            return;
        }

        switch (call.Arguments[0])
        {
            case IdentifierExpr { Name: not (Device or Room) } field:
                ResolveField(field.Name, field.Offset);
                break;
            case MemberExpr { Target: var target } when IsDeviceLabels(target):
                break;
            case IndexExpr { Target: var target } index when IsDeviceLabels(target):
                CheckLabelKey(index.Index.Offset, TypeOf(index.Index));
                break;
            default:
                Report(call.Arguments[0].Offset, HasShape);
                break;
        }
    }

    private ExprType TypeOfList(ListExpr list)
    {
        var element = ExprType.Dyn;
        for (var i = 0; i < list.Items.Count; i++)
        {
            var item = TypeOf(list.Items[i]);
            if (i == 0)
            {
                element = item;
            }
            else if (ExprType.Common(element, item) is { } common)
            {
                element = common;
            }
            else
            {
                Report(list.Items[i].Offset, $"list elements must have the same type but got {element} and {item}");
                element = ExprType.Error;
            }
        }

        return ExprType.ListOf(element);
    }

    private static bool IsDeviceLabels(Expr expr) =>
        expr is MemberExpr { Target: IdentifierExpr { Name: Device }, Member: Labels };

    private static bool IsBooleanLike(ExprType type) => type.Kind == ExprTypeKind.Boolean || type.IsUnchecked;

    private static bool MayBeString(ExprType type) => type.Kind == ExprTypeKind.String || type.IsUnchecked;

    private static bool AreOrderable(ExprType left, ExprType right) =>
        (left.MayBeNumeric && right.MayBeNumeric) || (MayBeString(left) && MayBeString(right));

    private static string Suggestion(string name, IEnumerable<string> candidates) =>
        Spelling.Closest(name, candidates) is { } closest ? $"; did you mean '{closest}'?" : "";

    private void Report(int offset, string message) => _errors.Add(ExpressionDiagnostic.At(offset, message));
}
