using Iot.Api.Expressions;
using Iot.Rules.Engine;
using Iot.Rules.Expressions;
using Iot.Rules.Metrics;
using Iot.Rules.Telemetry;

namespace Iot.Rules.Conditions;

/// <summary>
/// <c>expression</c>: a <see cref="RuleExpression"/> evaluated on every message. It is type-checked against each selected
/// device's schema exactly as the operator checks it (the same messages); a device whose schema it does not fit is not
/// evaluated. At run time an error (a missing field, division by zero, ...) means "no verdict" and is counted.
/// </summary>
internal sealed class ExpressionCheck : ConditionCheck
{
    // Type-check results by schema; read and written on the engine's thread only.
    private readonly Dictionary<string, string?> _problemsBySchema = new(StringComparer.Ordinal);
    private readonly string _text;
    private readonly string _path;

    private ExpressionCheck(string text, string path, Evaluator evaluator)
    {
        _text = text;
        _path = path;
        Evaluator = evaluator;
    }

    public override string? Field => null;

    public Evaluator Evaluator { get; }

    public static ExpressionCheck Compile(string text, string path)
    {
        var parsed = RuleExpression.Parse(text);
        if (!parsed.Succeeded)
        {
            throw new FormatException($"{path}: {string.Join("; ", parsed.Errors)}");
        }

        return new ExpressionCheck(text, path, ExpressionCompiler.Compile(parsed.Root!));
    }

    public override ConditionMonitor CreateMonitor(RuleBinding binding, bool isClear) => new Monitor(this, binding, isClear);

    public override string? ProblemWith(DeviceInfo device)
    {
        if (!_problemsBySchema.TryGetValue(device.SchemaKey, out var errors))
        {
            var result = RuleExpression.Check(_text, device.Scope);
            errors = result.Errors.Count == 0 ? null : string.Join("; ", result.Errors);
            _problemsBySchema[device.SchemaKey] = errors;
        }

        return errors is null ? null : $"{_path}: {errors} (in the telemetry of {device.Id} (type {device.Type}))";
    }

    private sealed class Monitor(ExpressionCheck check, RuleBinding binding, bool isClear) : ConditionMonitor(binding, isClear)
    {
        public override void Observe(in TelemetryMessage message, long now, RuleRuntime runtime)
        {
            var result = check.Evaluator(new EvaluationScope(message, Binding.Device.Info));
            switch (result.Kind)
            {
                case ValueKind.Boolean:
                    Report(result.Boolean, null, now, runtime, message.Fields);
                    break;
                case ValueKind.Error:
                    Error(result.Reason);
                    break;
                default:
                    Error(RuleErrorReason.TypeMismatch);
                    break;
            }
        }
    }
}
