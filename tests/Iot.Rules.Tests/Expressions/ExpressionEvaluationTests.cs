using Iot.Api.Expressions;
using Iot.Rules.Engine;
using Iot.Rules.Expressions;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Tests.Expressions;

public sealed class ExpressionEvaluationTests
{
    private static readonly DeviceInfo Device = DeviceInfo.From(Manifests.Thermostat("t-1", room: "lab-1", labels: "{zone: north, tier: '2'}"));

    private static readonly FieldValue[] Message =
    [
        new("temperature", 31.5), new("humidity", 15.0), new("heating", false), new("mode", "eco"), new("errors", 4L),
    ];

    // The value as a plain object, or the error's reason.
    private static object Evaluate(string text)
    {
        var parsed = RuleExpression.Parse(text);
        Assert.True(parsed.Succeeded, string.Join("; ", parsed.Errors));
        var value = ExpressionCompiler.Compile(parsed.Root!)(new EvaluationScope(new TelemetryMessage("t-1", DateTimeOffset.UnixEpoch, Message), Device));
        return value.Kind switch
        {
            ValueKind.Error => value.Reason,
            ValueKind.Boolean => value.Boolean,
            ValueKind.Integer => value.Integer,
            ValueKind.Number => value.Number,
            ValueKind.String => value.String,
            _ => value.Kind,
        };
    }

    [Theory]
    [InlineData("temperature > 30 && humidity < 20", true)]
    [InlineData("temperature > 30 && !heating", true)]
    [InlineData("temperature <= 31.5 && errors >= 4 && errors != 5", true)]
    [InlineData("errors == 4.0", true)]
    [InlineData("mode == \"eco\" && mode < \"fan\"", true)]
    [InlineData("room in [\"lab-1\", \"lab-2\"]", true)]
    [InlineData("errors in [1, 2, 3]", false)]
    [InlineData("\"zone\" in device.labels", true)]
    [InlineData("\"floor\" in device.labels", false)]
    [InlineData("device.labels.zone == \"north\" && device.labels[\"tier\"] == \"2\"", true)]
    [InlineData("device.type == \"thermostat\" && device.id == \"t-1\"", true)]
    [InlineData("has(humidity) && !has(co2)", true)]
    [InlineData("has(device.labels.zone) && !has(device.labels[\"floor\"])", true)]
    [InlineData("[1, 2] == [1, 2] && [1, 2] != [2, 1]", true)]
    public void Conditions_evaluate_to_booleans(string text, bool expected) => Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("1 + 2", 3L)]
    [InlineData("errors * 2 - 1", 7L)]
    [InlineData("7 % 3", 1L)]
    [InlineData("-errors", -4L)]
    [InlineData("abs(-3)", 3L)]
    [InlineData("min(3, errors, 5)", 3L)]
    [InlineData("round(errors)", 4L)]
    [InlineData("[1, errors][1]", 4L)]
    public void Integer_arithmetic_stays_integer(string text, long expected) => Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("7 / 2", 3.5)]
    [InlineData("errors / 8", 0.5)]
    [InlineData("temperature - 1", 30.5)]
    [InlineData("2 * 3.5", 7.0)]
    [InlineData("abs(-2.5)", 2.5)]
    [InlineData("round(2.5)", 3.0)]
    [InlineData("round(-2.5)", -3.0)]
    [InlineData("max(errors, 2.5)", 4.0)]
    [InlineData("min(1, 2.5)", 1.0)]
    [InlineData("7.5 % 2", 1.5)]
    public void Arithmetic_with_a_number_gives_a_number(string text, double expected) => Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("temperature > 30 ? \"hot\" : \"ok\"", "hot")]
    [InlineData("mode + \"-\" + room", "eco-lab-1")]
    [InlineData("device.labels.zone", "north")]
    [InlineData("room", "lab-1")]
    public void Strings_come_from_labels_room_fields_and_concatenation(string text, string expected) => Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("co2 > 1000", RuleErrorReason.MissingField)]
    [InlineData("co2 > 1000 || false", RuleErrorReason.MissingField)]
    [InlineData("1 / 0 > 1", RuleErrorReason.DivisionByZero)]
    [InlineData("temperature / (errors - 4) > 1", RuleErrorReason.DivisionByZero)]
    [InlineData("errors % 0 == 1", RuleErrorReason.DivisionByZero)]
    [InlineData("9223372036854775807 + errors > 0", RuleErrorReason.Overflow)]
    [InlineData("-9223372036854775807 - errors < 0", RuleErrorReason.Overflow)]
    [InlineData("9223372036854775807 * errors > 0", RuleErrorReason.Overflow)]
    [InlineData("device.labels.floor == \"3\"", RuleErrorReason.MissingLabel)]
    [InlineData("[1, 2][5] == 1", RuleErrorReason.IndexOutOfRange)]
    [InlineData("mode > 3", RuleErrorReason.TypeMismatch)]
    [InlineData("mode ? 1 : 2", RuleErrorReason.TypeMismatch)]
    public void Failures_are_error_values_with_a_reason(string text, RuleErrorReason expected) => Assert.Equal(expected, Evaluate(text));

    [Theory]
    [InlineData("has(co2) && co2 > 1000", false)]
    [InlineData("co2 > 1000 && false", false)]
    [InlineData("co2 > 1000 || true", true)]
    [InlineData("!has(co2) || co2 > 1000", true)]
    [InlineData("has(co2) ? co2 > 1000 : temperature > 30", true)]
    public void And_or_and_the_conditional_absorb_an_error_the_other_side_decides(string text, bool expected) => Assert.Equal(expected, Evaluate(text));
}
