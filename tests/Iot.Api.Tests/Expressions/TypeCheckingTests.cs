using Iot.Api.Devices;
using Iot.Api.Expressions;

namespace Iot.Api.Tests.Expressions;

public sealed class TypeCheckingTests
{
    private static readonly ExpressionScope Scope = new(new Dictionary<string, TelemetryType>
    {
        ["temperature"] = TelemetryType.Number,
        ["humidity"] = TelemetryType.Number,
        ["door"] = TelemetryType.Boolean,
        ["status"] = TelemetryType.String,
        ["a"] = TelemetryType.Integer,
        ["b"] = TelemetryType.Integer,
    });

    private static readonly ExpressionScope UnknownSchema = new(null);

    private static ExpressionCheckResult Accepted(string text, ExpressionScope? scope = null)
    {
        var result = RuleExpression.Check(text, scope ?? Scope);
        Assert.True(result.Succeeded, string.Join("; ", result.Errors));
        Assert.NotNull(result.Root);
        return result;
    }

    private static ExpressionDiagnostic Rejected(string text, ExpressionScope? scope = null)
    {
        var result = RuleExpression.Check(text, scope ?? Scope);
        Assert.False(result.Succeeded);
        return Assert.Single(result.Errors);
    }

    [Theory]
    [InlineData("temperature > 30 && humidity < 20")]
    [InlineData("device.labels[\"zone\"] == \"north\" ? temperature > 25 : temperature > 30")]
    [InlineData("abs(temperature - 21) > 3")]
    [InlineData("has(humidity) && humidity > 80")]
    [InlineData("room in [\"lab-1\", \"lab-2\"]")]
    [InlineData("\"zone\" in device.labels")]
    [InlineData("round(temperature) == 21")]
    [InlineData("door == true")]
    [InlineData("door")]
    [InlineData("!door || temperature >= 18.5")]
    [InlineData("max(a, b) > 1")]
    [InlineData("min(a, temperature, 3) <= 1")]
    [InlineData("a % b == 0")]
    [InlineData("a / b > 0.5")]
    [InlineData("-temperature < -10")]
    [InlineData("a == temperature")]
    [InlineData("a in [1, 2.5, 3]")]
    [InlineData("status in ['ok', 'warn']")]
    [InlineData("status + '!' == 'ok!'")]
    [InlineData("status < 'm'")]
    [InlineData("device.labels.zone != 'outside'")]
    [InlineData("device.type == 'thermostat' && device.id != ''")]
    [InlineData("has(device.labels.zone) && has(device.labels['floor'])")]
    [InlineData("(temperature > 30 ? 'hot' : 'ok') == 'hot'")]
    [InlineData("(door ? a : temperature) > 1")]
    [InlineData("[1, 2][0] == 1")]
    [InlineData("room == ''")]
    public void Well_typed_condition_is_accepted(string text)
    {
        Accepted(text);
    }

    [Theory]
    [InlineData("humidty > 80", 1, "unknown field 'humidty'; the selected devices' telemetry has: a, b, door, humidity, status, temperature; did you mean 'humidity'?")]
    [InlineData("temperature > 30 && tempreature < 40", 21, "unknown field 'tempreature'; the selected devices' telemetry has: a, b, door, humidity, status, temperature; did you mean 'temperature'?")]
    [InlineData("Door", 1, "unknown field 'Door'; the selected devices' telemetry has: a, b, door, humidity, status, temperature; did you mean 'door'?")]
    [InlineData("pressure > 1000", 1, "unknown field 'pressure'; the selected devices' telemetry has: a, b, door, humidity, status, temperature")]
    [InlineData("has(humidty)", 5, "unknown field 'humidty'; the selected devices' telemetry has: a, b, door, humidity, status, temperature; did you mean 'humidity'?")]
    public void Unknown_field_is_reported_with_its_column(string text, int column, string message)
    {
        var error = Rejected(text);
        Assert.Equal(message, error.Message);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Unknown_field_in_a_scope_without_fields_says_so()
    {
        var error = Rejected("x > 1", new ExpressionScope(new Dictionary<string, TelemetryType>()));
        Assert.Equal("unknown field 'x'; the selected devices' telemetry has no fields", error.Message);
    }

    [Fact]
    public void Misspelt_special_name_is_suggested()
    {
        Assert.EndsWith("did you mean 'room'?", Rejected("rooom == 'lab'").Message);
    }

    [Fact]
    public void Long_field_lists_are_shortened()
    {
        var fields = Enumerable.Range(0, 25).ToDictionary(i => $"f{i:00}", _ => TelemetryType.Number);
        var message = Rejected("zzz > 1", new ExpressionScope(fields)).Message;
        Assert.EndsWith("f17, f18, f19 and 5 more", message);
    }

    [Theory]
    [InlineData("status > 3", 8, "operator '>' needs two numbers or two strings but got string and integer")]
    [InlineData("temperature == 'hot'", 13, "operator '==' needs operands of the same type but got number and string")]
    [InlineData("door != 1", 6, "operator '!=' needs operands of the same type but got boolean and integer")]
    [InlineData("door < true", 6, "operator '<' needs two numbers or two strings but got boolean and boolean")]
    [InlineData("temperature && door", 13, "operator '&&' needs boolean operands but got number and boolean")]
    [InlineData("door || 1", 6, "operator '||' needs boolean operands but got boolean and integer")]
    [InlineData("!temperature", 1, "operator '!' needs a boolean operand but got number")]
    [InlineData("-status == 'x'", 1, "operator '-' needs a number operand but got string")]
    [InlineData("status - 1 > 0", 8, "operator '-' needs number operands but got string and integer")]
    [InlineData("status + 1 == 'x1'", 8, "operator '+' needs two numbers or two strings but got string and integer")]
    [InlineData("door * 2 > 1", 6, "operator '*' needs number operands but got boolean and integer")]
    [InlineData("status / 2 > 1", 8, "operator '/' needs number operands but got string and integer")]
    [InlineData("temperature in ['a', 'b']", 13, "operator 'in' needs an element of list<string> on the left but got number")]
    [InlineData("1 in device.labels", 3, "operator 'in' looks up string keys in map<string, string> but got integer")]
    [InlineData("'a' in status", 5, "operator 'in' needs a list or device.labels on the right but got string")]
    [InlineData("room in ['a', 1]", 15, "list elements must have the same type but got string and integer")]
    [InlineData("temperature ? door : false", 13, "the condition of '?:' must be boolean but is number")]
    [InlineData("door ? 1 : 'x'", 6, "the branches of '?:' must have the same type but are integer and string")]
    [InlineData("device.labels[1] == 'x'", 15, "device.labels needs a string key but got integer")]
    [InlineData("[1, 2]['a'] == 1", 8, "a list index must be an integer but is string")]
    [InlineData("status[0] == 'x'", 7, "string cannot be indexed")]
    [InlineData("temperature.value > 1", 13, "number has no member 'value'")]
    [InlineData("device.name == 'x'", 8, "device has no member 'name'; it has: id, labels, type")]
    [InlineData("device == 'x'", 1, "'device' is not a value by itself; use device.id, device.type or device.labels")]
    [InlineData("device['id'] == 'x'", 7, "device cannot be indexed; use device.labels[\"<key>\"]")]
    public void Misused_operator_is_reported_with_the_operand_types(string text, int column, string message)
    {
        var error = Rejected(text);
        Assert.Equal(message, error.Message);
        Assert.Equal(column, error.Column);
    }

    [Theory]
    [InlineData("temperature", "number")]
    [InlineData("a + b", "integer")]
    [InlineData("a / b", "number")]
    [InlineData("status", "string")]
    [InlineData("device.labels", "map<string, string>")]
    [InlineData("[1, 2]", "list<integer>")]
    [InlineData("[1, 2.5]", "list<number>")]
    [InlineData("door ? 1 : 2.5", "number")]
    [InlineData("max(a, b)", "integer")]
    [InlineData("round(temperature)", "number")]
    public void Non_boolean_result_is_reported_at_the_start(string text, string type)
    {
        var error = Rejected(text);
        Assert.Equal($"the expression must be boolean but is {type}", error.Message);
        Assert.Equal(0, error.Offset);
    }

    [Theory]
    [InlineData("rond(a) > 1", 1, "unknown function 'rond'; the functions are abs, has, max, min, round; did you mean 'round'?")]
    [InlineData("avg(a, b) > 1", 1, "unknown function 'avg'; the functions are abs, has, max, min, round")]
    [InlineData("sqrt(a) > 1", 1, "unknown function 'sqrt'; the functions are abs, has, max, min, round")]
    [InlineData("door && mx(a, b) > 1", 9, "unknown function 'mx'; the functions are abs, has, max, min, round; did you mean 'max'?")]
    [InlineData("min(a) > 1", 1, "min() takes 2 or more arguments but got 1")]
    [InlineData("max() > 1", 1, "max() takes 2 or more arguments but got 0")]
    [InlineData("abs(a, b) > 1", 1, "abs() takes 1 argument but got 2")]
    [InlineData("round() > 1", 1, "round() takes 1 argument but got 0")]
    [InlineData("abs(status) > 1", 5, "abs() needs a number argument but got string")]
    [InlineData("max(a, door) > 1", 8, "max() needs number arguments but argument 2 is boolean")]
    [InlineData("has(a, b)", 1, "has() takes 1 argument but got 2")]
    [InlineData("has(a + 1)", 7, "has() takes a telemetry field name, device.labels.<key> or device.labels[\"<key>\"]")]
    [InlineData("has(room)", 5, "has() takes a telemetry field name, device.labels.<key> or device.labels[\"<key>\"]")]
    [InlineData("has(device.type)", 12, "has() takes a telemetry field name, device.labels.<key> or device.labels[\"<key>\"]")]
    [InlineData("has(device.labels[2])", 19, "device.labels needs a string key but got integer")]
    public void Misused_function_is_reported_with_its_column(string text, int column, string message)
    {
        var error = Rejected(text);
        Assert.Equal(message, error.Message);
        Assert.Equal(column, error.Column);
    }

    [Fact]
    public void Every_independent_type_error_is_reported_in_text_order()
    {
        var result = RuleExpression.Check("humidty > 1 && status > 3 && nope", Scope);
        Assert.Equal([1, 23, 30], result.Errors.Select(e => e.Column));
    }

    [Fact]
    public void An_error_is_not_reported_again_by_the_expressions_around_it()
    {
        var result = RuleExpression.Check("-(nope + 1) * 2 > abs(nope) && nope", Scope);
        Assert.Equal([3, 23, 32], result.Errors.Select(e => e.Column));
        Assert.All(result.Errors, e => Assert.StartsWith("unknown field 'nope'", e.Message));
    }

    [Fact]
    public void Syntax_error_is_reported_by_check_without_a_tree()
    {
        var result = RuleExpression.Check("temperature >", Scope);
        Assert.False(result.Succeeded);
        Assert.Null(result.Root);
        Assert.Equal("expected expression but found end of input", Assert.Single(result.Errors).Message);
        Assert.Empty(result.FieldsUsed);
    }

    [Fact]
    public void Type_error_keeps_the_tree()
    {
        var result = RuleExpression.Check("status > 3", Scope);
        Assert.False(result.Succeeded);
        Assert.NotNull(result.Root);
    }

    [Theory]
    [InlineData("anything > 3 && whatever")]
    [InlineData("x == 'a' && y + 1 > z")]
    [InlineData("has(q) && q.nested[0] == w")]
    [InlineData("abs(v) > 1 && min(v, w) < max(v, 1)")]
    [InlineData("v in [1, 2] && 'k' in w")]
    [InlineData("v ? w : 3")]
    [InlineData("v")]
    [InlineData("-v")]
    public void Unknown_schema_accepts_any_field(string text)
    {
        Accepted(text, UnknownSchema);
    }

    [Theory]
    [InlineData("v && 5", "operator '&&' needs boolean operands but got dyn and integer")]
    [InlineData("v > 3 && 'a' > 1", "operator '>' needs two numbers or two strings but got string and integer")]
    [InlineData("[v]", "the expression must be boolean but is list<dyn>")]
    public void Unknown_schema_still_reports_errors_that_do_not_depend_on_fields(string text, string message)
    {
        Assert.Equal(message, Rejected(text, UnknownSchema).Message);
    }

    [Fact]
    public void Fields_used_lists_telemetry_fields_but_not_device_or_room()
    {
        var result = Accepted("has(humidity) && (room == 'x' || device.labels.zone == 'n') && temperature > a + a");
        Assert.Equal(["a", "humidity", "temperature"], result.FieldsUsed);
    }

    [Fact]
    public void Fields_used_in_an_unknown_schema_are_all_referenced_names()
    {
        var result = Accepted("zeta > 1 && has(alpha) && device.id == room", UnknownSchema);
        Assert.Equal(["alpha", "zeta"], result.FieldsUsed);
    }

    [Fact]
    public void Function_names_do_not_clash_with_field_names()
    {
        var scope = new ExpressionScope(new Dictionary<string, TelemetryType> { ["max"] = TelemetryType.Number });
        Accepted("max(max, 1) > 2", scope);
    }
}
